package dev.baton.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run a jar with the same Java installation as the test JVM. */
public final class JavaJar {

  /**
   * JVM options for every service and app a test starts: C1 only and the serial collector. On a 2-core machine
   * running a dozen JVMs per stack, C2's compilations and G1's threads are most of a start's CPU; these halve
   * it (sample-app: 1.7 s to 0.9 s of CPU until it answers). Nothing a test checks depends on C2's peak
   * speed: the benchmarks start their processes with the defaults (bench/README.md).
   */
  public static final String LIGHT_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k";

  private JavaJar() {
  }

  /** {@link #LIGHT_JVM_OPTIONS} as command-line words. */
  public static List<String> lightJvmOptions() {
    return List.of(LIGHT_JVM_OPTIONS.split(" "));
  }

  /** The {@code java} launcher of the running JVM ({@code java.home}/bin/java). */
  public static Path javaBinary() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("no executable java launcher at " + java);
    }
    return java;
  }

  /**
   * {@code [java, <LIGHT_JVM_OPTIONS>, -jar, jar, args...]}.
   *
   * @throws IllegalStateException when the jar does not exist, telling to build it first
   */
  public static List<String> command(Path jar, String... args) {
    return command(lightJvmOptions(), jar, args);
  }

  /** {@code [java, <jvmOptions>, -jar, jar, args...]}; as {@link #command(Path, String...)} otherwise. */
  public static List<String> command(List<String> jvmOptions, Path jar, String... args) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no jar at " + jar.toAbsolutePath()
          + ": build it first (./mvnw -pl <module> package)");
    }
    List<String> command = new ArrayList<>(List.of(javaBinary().toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }
}
