package dev.baton.agent.isolation;

import java.util.Optional;

/** A user of the host's user database (passwd): who a {@code runAs} instance runs as. */
public record Account(String name, int uid, int gid, String home) {

  /** One passwd line, {@code name:password:uid:gid:gecos:home:shell}; empty when it is not one. */
  static Optional<Account> parsePasswd(String line) {
    String[] f = line.strip().split(":", -1);
    if (f.length < 7 || f[0].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
