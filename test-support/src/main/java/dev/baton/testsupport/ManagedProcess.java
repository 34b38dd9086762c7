package dev.baton.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real child process for tests (a service jar, Consul, a shell command) whose stdout and stderr go
 * to a log file, and which never outlives the test JVM.
 *
 * <p>Guarantees: the process runs under a watchdog that stops it and everything it started within
 * about a second after the JVM dies, even by {@code kill -9}; {@link #close()} kills the whole process
 * tree, including descendants that started their own session or outlived their parent (on Linux they
 * are found by a marker variable in their environment, {@code BATONTEST_MARK_*}; a process that
 * clears its environment escapes that); an unclosed process is closed by a JVM shutdown hook. Exit codes follow the shell convention: 128 + signal number when killed by a signal
 * (143 after SIGTERM, 137 after SIGKILL).
 */
public final class ManagedProcess implements AutoCloseable {

  private final String name;
  private final Process wrapper;
  private final long pid;
  private final boolean grouped;
  private final Optional<ProcessHandle> handle;
  private final Path logFile;
  private final String mark;

  private ManagedProcess(String name, Watchdog.Started started, Path logFile, String mark) {
    this.name = name;
    this.wrapper = started.wrapper();
    this.pid = started.pid();
    this.grouped = started.grouped();
    this.handle = ProcessHandle.of(pid);
    this.logFile = logFile;
    this.mark = mark;
  }

  /** A builder for {@code command} (an argv, never a shell string). */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  /** A builder for {@code command} (an argv, never a shell string). */
  public static Builder builder(String... command) {
    return new Builder(List.of(command));
  }

  /** The pid of the command itself (not of the watchdog). */
  public long pid() {
    return pid;
  }

  /** The log file receiving the command's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the command is still running. */
  public boolean isAlive() {
    return wrapper.isAlive() && handle.map(Processes::isRunning).orElse(false);
  }

  /** Sends SIGTERM to the command: a graceful stop request. */
  public void sigterm() {
    handle.ifPresent(ProcessHandle::destroy);
  }

  /** Sends SIGKILL to the command (not to its descendants; see {@link #close()}). */
  public void kill9() {
    handle.ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Waits until the command has exited and returns its exit code.
   *
   * @throws AssertionError with the log tail when it is still running after {@code timeout}
   */
  public int waitForExit(Duration timeout) {
    try {
      if (!wrapper.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(this + " still running after " + timeout.toMillis() + " ms; log tail:\n"
            + logTail(20));
      }
      return wrapper.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + this + " to exit", e);
    }
  }

  /**
   * SIGTERM, then waits up to {@code grace} for the exit; if it has not exited by then, kills the
   * whole tree with SIGKILL. Returns the exit code.
   */
  public int stop(Duration grace) {
    sigterm();
    try {
      if (wrapper.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return wrapper.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    return wrapper.exitValue();
  }

  /**
   * Polls the log until a line matches {@code pattern} ({@link Matcher#find()}) and returns the match,
   * so a test can read groups such as a port.
   *
   * @throws AssertionError with the log tail when no line matches within {@code timeout} or the
   *     process exits first
   */
  public MatchResult awaitLog(Pattern pattern, Duration timeout) {
    return Poll.value(timeout, () -> {
      Optional<MatchResult> match = findInLog(pattern);
      if (match.isEmpty() && !wrapper.isAlive()) {
        match = findInLog(pattern); // the last lines may have arrived just before the exit
        if (match.isEmpty()) {
          throw new AssertionError(this + " exited with " + wrapper.exitValue() + " before logging /"
              + pattern + "/; log tail:\n" + logTail(20));
        }
      }
      return match.orElse(null);
    }, "a line matching /" + pattern + "/ in " + logFile + " of " + this);
  }

  /** The last {@code lines} lines of the log (fewer if the log is shorter). */
  public String logTail(int lines) {
    return tail(logFile, lines);
  }

  /**
   * Kills the command and all its descendants with SIGKILL and waits for them to be gone. Safe to call
   * more than once and after the command exited.
   */
  @Override
  public void close() {
    Watchdog.forget(this);
    for (int round = 0; round < 3; round++) {
      // Snapshot first: once a parent dies its children are re-parented and no longer found as ours.
      List<ProcessHandle> tree = new ArrayList<>();
      boolean leaderRunning = handle.filter(Processes::isRunning).isPresent();
      handle.filter(Processes::isRunning).ifPresent(tree::add);
      handle.ifPresent(h -> h.descendants().filter(Processes::isRunning).forEach(tree::add));
      wrapper.descendants().filter(Processes::isRunning).forEach(tree::add);
      tree.addAll(Processes.withMark(mark));
      if (tree.isEmpty()) {
        break;
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      if (grouped && leaderRunning) { // else the pid, hence the group id, may belong to someone else now
        Watchdog.killGroup(pid);
      }
      // Polled rather than onExit(): for non-children the JDK re-checks only every 300 ms or more.
      Poll.until(Duration.ofSeconds(10), () -> tree.stream().noneMatch(Processes::isRunning),
          "the process tree of " + this + " to die after SIGKILL");
    }
    try {
      if (!wrapper.waitFor(10, TimeUnit.SECONDS)) {
        wrapper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid + "]";
  }

  private Optional<MatchResult> findInLog(Pattern pattern) throws IOException {
    if (!Files.exists(logFile)) {
      return Optional.empty();
    }
    String text = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
    for (String line : text.split("\\R")) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return Optional.of(matcher.toMatchResult());
      }
    }
    return Optional.empty();
  }

  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no log at " + file + ")";
      }
      List<String> all = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Configures and starts a {@link ManagedProcess}. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path directory;
    private Path logFile;
    private String name;

    private Builder(List<String> command) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("empty command");
      }
      this.command = List.copyOf(command);
      this.name = Path.of(command.get(0)).getFileName().toString();
    }

    /** Adds an environment variable (the child inherits the test JVM's environment otherwise). */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Adds environment variables. */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** The working directory; default: the test JVM's. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Where stdout and stderr go (appended); default: {@code target/process-logs/<name>-<n>.log}. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** A name for messages and the default log file; default: the program's file name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Starts the command.
     *
     * @throws UncheckedIOException when the log file cannot be created or the shell cannot start
     */
    public ManagedProcess start() {
      try {
        Path log = logFile != null ? logFile : defaultLog();
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder template = new ProcessBuilder();
        template.environment().putAll(env);
        if (directory != null) {
          template.directory(directory.toFile());
        }
        String mark = Watchdog.newMark();
        Watchdog.Started started = Watchdog.start(command, template, log, mark);
        ManagedProcess process = new ManagedProcess(name, started, log, mark);
        Watchdog.closeOnExit(process);
        return process;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }

    private Path defaultLog() throws IOException {
      Path dir = Files.isDirectory(Path.of("target"))
          ? Path.of("target", "process-logs")
          : Path.of(System.getProperty("java.io.tmpdir"), "baton-process-logs");
      Files.createDirectories(dir);
      return Files.createTempFile(dir, name + "-", ".log");
    }
  }
}
