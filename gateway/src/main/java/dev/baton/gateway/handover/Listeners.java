package dev.baton.gateway.handover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Who listens on a TCP port of this host, read from the kernel's socket tables ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, Linux): the cheap, honest way to tell that a port is shared. A bind probe would answer
 * the same question at start but not at stop, where this process's own listener is in the way. Other systems
 * have no such tables: the answer is then empty ("unknown"), never a guess.
 */
public final class Listeners {

  /** The state column's value for a listening socket ({@code TCP_LISTEN} in include/net/tcp_states.h). */
  private static final String LISTEN = "0A";
  private static final Path TCP = Path.of("/proc/net/tcp");
  private static final Path TCP6 = Path.of("/proc/net/tcp6");
  private static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

  private Listeners() {
  }

  /** How many sockets listen on {@code port} (any address, IPv4 and IPv6); empty where the tables are absent. */
  public static Optional<Integer> count(int port) {
    if (!Files.isReadable(TCP)) {
      return Optional.empty();
    }
    try {
      int n = count(Files.readString(TCP), port);
      if (Files.isReadable(TCP6)) {
        n += count(Files.readString(TCP6), port);
      }
      return Optional.of(n);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The listening sockets on {@code port} in the text of a {@code /proc/net/tcp}-style table: one socket per
   * line after the header, {@code sl local_address rem_address st ...}, the local address as
   * {@code HEXADDR:HEXPORT}.
   */
  static int count(String table, int port) {
    String wanted = ":" + String.format(Locale.ROOT, "%04X", port);
    int n = 0;
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length > 3 && f[1].toUpperCase(Locale.ROOT).endsWith(wanted) && LISTEN.equals(f[3])) {
        n++;
      }
    }
    return n;
  }

  /**
   * {@code net.ipv4.tcp_migrate_req} (Linux 5.14+, applies to IPv6 too): when on, connections still queued in
   * a closing {@code SO_REUSEPORT} listener move to another listener of the port instead of being reset.
   * Empty when the kernel has no such setting.
   */
  public static Optional<Boolean> migratesQueuedConnections() {
    try {
      return Files.isReadable(MIGRATE_REQ) ? Optional.of(!"0".equals(Files.readString(MIGRATE_REQ).trim()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
