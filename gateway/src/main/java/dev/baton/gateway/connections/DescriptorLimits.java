package dev.baton.gateway.connections;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's open-file limits (RLIMIT_NOFILE) as {@code /proc/self/limits} states them, and the descriptors
 * open when they were read. HotSpot raises the soft limit to the hard one when it starts on Linux
 * ({@code -XX:+MaxFDLimit}, on by default), so the soft limit read here is normally the hard one: raising it
 * further is the service manager's job ({@code LimitNOFILE=} in the systemd unit, {@code ulimit -n} in a shell).
 * A limit of {@code -1} means unknown (no {@code /proc}) or unlimited.
 */
public record DescriptorLimits(long soft, long hard, int open) {

  public static final DescriptorLimits UNKNOWN = new DescriptorLimits(-1, -1, -1);

  /** Below this many descriptors the automatic connection limit keeps a fixed reserve rather than a quarter. */
  static final int MIN_RESERVE = 256;

  /** The connection limit used when none is known from the descriptor limit. */
  static final int FALLBACK_MAX_CONNECTIONS = 10_000;

  /** Reads this process's limits; {@link #UNKNOWN} where {@code /proc} is not there. */
  public static DescriptorLimits current() {
    try (InputStream in = Files.newInputStream(Path.of("/proc/self/limits"))) {
      // a stream, not Files.readString: /proc files report size 0
      DescriptorLimits l = parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      String[] fds = new java.io.File("/proc/self/fd").list();
      return new DescriptorLimits(l.soft, l.hard, fds == null ? -1 : fds.length);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /** The "Max open files" line of a {@code /proc/<pid>/limits} text; {@link #UNKNOWN} without it. */
  static DescriptorLimits parse(String procLimits) {
    for (String line : procLimits.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        if (f.length >= 2) {
          return new DescriptorLimits(value(f[0]), value(f[1]), -1);
        }
      }
    }
    return UNKNOWN;
  }

  private static long value(String s) {
    return "unlimited".equals(s) ? -1 : Long.parseLong(s);
  }

  public boolean known() {
    return soft > 0;
  }

  /**
   * The default of {@code BATON_MAX_CONNECTIONS}: the soft limit less a reserve of a quarter (at least
   * {@value #MIN_RESERVE}) for what else the gateway holds open — connections to instances (bounded by the
   * upstream pool), Consul, the cluster, the admin port, jars and logs. An idle client connection holds no
   * instance connection, which is why the reserve is a quarter and not HAProxy's half (its automatic
   * {@code maxconn} assumes every client connection has a server connection).
   */
  public int defaultMaxConnections() {
    if (!known()) {
      return FALLBACK_MAX_CONNECTIONS;
    }
    long reserve = Math.max(MIN_RESERVE, soft / 4);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, soft - reserve));
  }

  @Override
  public String toString() {
    return known() ? "open-file limit soft " + soft + ", hard " + (hard < 0 ? "unlimited" : hard)
        + (open >= 0 ? ", " + open + " open" : "") : "open-file limit unknown";
  }
}
