package dev.baton.e2e.cli;

import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One run of {@code java -jar cli/target/baton-cli.jar ARGS}: its exit code and what it printed (stdout and stderr). */
record CliRun(int code, String output) {

  static final Path JAR = Repo.path("cli/target/baton-cli.jar");

  /** Starts the CLI; the caller waits for it (a watch) or stops it (an event stream). */
  static ManagedProcess start(Path configFile, List<String> args) {
    // the JVM flags ./baton gives the CLI: a short-lived client starts about twice as fast with them
    List<String> command = new ArrayList<>(JavaJar.command(JAR, args.toArray(String[]::new)));
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return ManagedProcess.builder(command).name("baton-cli")
        .env(Map.of("BATON_CLI_CONFIG", configFile.toString(), "TERM", "dumb")).start();
  }

  static CliRun run(Path configFile, Duration timeout, String... args) {
    try (ManagedProcess p = start(configFile, List.of(args))) {
      int code = p.waitForExit(timeout);
      return new CliRun(code, read(p));
    }
  }

  static String read(ManagedProcess p) {
    try {
      return Files.readString(p.logFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> args(String registry, String token, String... rest) {
    List<String> all = new ArrayList<>(List.of("--registry", registry, "--token", token));
    all.addAll(List.of(rest));
    return all;
  }

  /** The lines printed, without the JVM's own notes (none expected; kept out of JSON parsing all the same). */
  List<String> lines() {
    return output.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
  }

  String json() {
    return String.join("\n", lines());
  }
}
