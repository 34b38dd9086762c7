package dev.baton.agent.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Who is who on this host. Blocking: call from a worker thread. */
final class Accounts {

  private static final long GETENT_TIMEOUT_S = 10;

  private Accounts() {
  }

  /** The uid this process runs as (the owner of {@code /proc/self}); -1 when unknown, which counts as not root. */
  static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /**
   * The account named {@code name}: through {@code getent passwd} when installed, so every source the host's
   * NSS knows (LDAP, systemd's dynamic users) counts as it does for login; else {@code /etc/passwd}.
   */
  static Optional<Account> lookup(String name, HostTools tools) throws IOException {
    if (tools.getent().isPresent()) {
      Process p = new ProcessBuilder(tools.getent().get().toString(), "passwd", name)
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(GETENT_TIMEOUT_S, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("getent passwd " + name + " did not answer within " + GETENT_TIMEOUT_S + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while looking up user " + name, e);
      }
      return p.exitValue() == 0 ? find(name, out.lines().toList()) : Optional.empty();
    }
    return find(name, Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8));
  }

  static Optional<Account> find(String name, List<String> passwd) {
    return passwd.stream().map(Account::parsePasswd).flatMap(Optional::stream)
        .filter(a -> a.name().equals(name)).findFirst();
  }
}
