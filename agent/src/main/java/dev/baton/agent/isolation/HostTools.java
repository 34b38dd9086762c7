package dev.baton.agent.isolation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The standard programs isolation relies on, where this host has them: {@code prlimit} and {@code setpriv}
 * (util-linux) and {@code getent} (glibc). Looked up by absolute path in the system directories, never
 * through the agent's {@code PATH}, so a directory early in that path cannot stand in for them.
 */
public record HostTools(Optional<Path> prlimit, Optional<Path> setpriv, Optional<Path> getent) {

  private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

  /** Blocking (file checks). */
  public static HostTools find() {
    return new HostTools(locate("prlimit"), locate("setpriv"), locate("getent"));
  }

  private static Optional<Path> locate(String name) {
    return DIRS.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }
}
