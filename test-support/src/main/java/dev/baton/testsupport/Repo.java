package dev.baton.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the baton reactor root: the nearest directory at or above the working directory that holds
 * {@value #MARKER}. Works from any module (Surefire runs tests in the module directory) and from the root.
 */
public final class Repo {

  /** The file that marks the reactor root. */
  public static final String MARKER = "scripts/install-consul";

  private Repo() {
  }

  /**
   * The reactor root.
   *
   * @throws IllegalStateException when no directory above the working directory holds {@value #MARKER}
   */
  public static Path root() {
    Path start = Path.of("").toAbsolutePath();
    return find(start).orElseThrow(() -> new IllegalStateException("no " + MARKER + " in " + start
        + " or any parent: run the tests from inside the baton checkout"));
  }

  /** {@code relative} resolved against the reactor root, e.g. {@code path("agent/target/baton-agent.jar")}. */
  public static Path path(String relative) {
    return root().resolve(relative);
  }

  static java.util.Optional<Path> find(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        return java.util.Optional.of(dir);
      }
    }
    return java.util.Optional.empty();
  }
}
