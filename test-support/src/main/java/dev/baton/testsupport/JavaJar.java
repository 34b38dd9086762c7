package dev.baton.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run a jar with the same Java installation as the test JVM. */
public final class JavaJar {

  private JavaJar() {
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
   * {@code [java, -jar, jar, args...]}.
   *
   * @throws IllegalStateException when the jar does not exist, telling to build it first
   */
  public static List<String> command(Path jar, String... args) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no jar at " + jar.toAbsolutePath()
          + ": build it first (./mvnw -pl <module> package)");
    }
    List<String> command = new ArrayList<>(List.of(javaBinary().toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }
}
