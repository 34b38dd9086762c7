package dev.baton.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A sample-app jar running as a real process ({@code java -jar}) on a free port, with its stdout and
 * stderr captured line by line so tests can wait for what it logs.
 */
final class AppProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final List<String> lines = new ArrayList<>();

  private AppProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread reader = new Thread(this::readOutput, "sample-app-output-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code jar} with {@code PORT} set to a free port plus the given extra environment. */
  static AppProcess start(Path jar, Map<String, String> env) throws IOException {
    int port = freePort();
    Map<String, String> fullEnv = new HashMap<>(env);
    fullEnv.putIfAbsent("PORT", Integer.toString(port));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar.toString())
        .redirectErrorStream(true);
    builder.environment().putAll(fullEnv);
    return new AppProcess(builder.start(), port);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /**
   * Sends SIGTERM. Through the handle rather than {@link Process#destroy()}, which sends the same
   * signal but also closes our end of the output pipe, so nothing logged during the drain would
   * reach the test.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Waits until a logged line contains {@code fragment}; fails with the whole log otherwise. */
  void awaitOutput(String fragment, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (lines.stream().noneMatch(line -> line.contains(fragment))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no line containing '" + fragment + "' within " + timeout
              + "; output so far: " + lines);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for '" + fragment + "'", e);
        }
      }
    }
  }

  /** Waits for the process to exit and returns its status; fails with the log on timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + "; output: " + output());
    }
    return process.exitValue();
  }

  /** Everything the process printed so far, one line per entry. */
  List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private void readOutput() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // close() kills the process and closes the pipe under us: the output is complete then
    }
  }
}
