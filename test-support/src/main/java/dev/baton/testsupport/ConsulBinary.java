package dev.baton.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Consul binary that tests run, found (and installed on first use) by the project's own
 * {@code scripts/install-consul}, which honours {@code $CONSUL_BIN}, then {@code consul} on PATH, then
 * its user cache. Outside a checkout, {@code $CONSUL_BIN} alone is used. Resolved once per JVM.
 */
public final class ConsulBinary {

  private static final Pattern VERSION = Pattern.compile("Consul v(\\d+)\\.(\\d+)\\.(\\d+)");
  private static Path path;
  private static int[] version;

  private ConsulBinary() {
  }

  /**
   * The path of a runnable Consul (&gt;= 1.8).
   *
   * @throws IllegalStateException with the installer's messages when no Consul can be found or installed
   */
  public static synchronized Path path() {
    if (path == null) {
      path = resolve();
    }
    return path;
  }

  /** The binary's version as {@code {major, minor, patch}}. */
  public static synchronized int[] version() {
    if (version == null) {
      String out = run(List.of(path().toString(), "version"), 30, "consul version").stdout;
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException(path + " version printed no Consul version: " + out);
      }
      version = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3))};
    }
    return version.clone();
  }

  /** Whether the binary's version is at least {@code major.minor}. */
  public static boolean atLeast(int major, int minor) {
    int[] v = version();
    return v[0] > major || (v[0] == major && v[1] >= minor);
  }

  private static Path resolve() {
    Optional<Path> root = Repo.find(Path.of("").toAbsolutePath());
    String fromEnv = System.getenv("CONSUL_BIN");
    if (root.isEmpty()) {
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new IllegalStateException("cannot find " + Repo.MARKER + " above " + Path.of("").toAbsolutePath()
            + " and CONSUL_BIN is not set: run inside the baton checkout or set CONSUL_BIN to a Consul >= 1.8");
      }
      return executable(Path.of(fromEnv), "CONSUL_BIN");
    }
    Path script = root.get().resolve(Repo.MARKER);
    // Installing downloads about 20 MB the first time on a machine.
    Output out = run(List.of("bash", script.toString()), 600, script.toString());
    if (!out.stderr.isBlank()) {
      System.err.print(out.stderr);
    }
    String[] lines = out.stdout.strip().split("\\R");
    return executable(Path.of(lines[lines.length - 1].strip()), script.toString());
  }

  private static Path executable(Path candidate, String source) {
    if (!Files.isExecutable(candidate)) {
      throw new IllegalStateException(source + " gave " + candidate + ", which is not an executable file");
    }
    return candidate;
  }

  private record Output(String stdout, String stderr) {
  }

  private static Output run(List<String> command, long timeoutSeconds, String what) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("baton-consul-binary-", ".out");
      err = Files.createTempFile("baton-consul-binary-", ".err");
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      process.getOutputStream().close();
      boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (!done || process.exitValue() != 0) {
        throw new IllegalStateException(what + (done ? " failed with exit code " + process.exitValue()
            : " did not finish within " + timeoutSeconds + " s") + ":\n" + stderr + stdout);
      }
      return new Output(stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }
}
