package dev.baton.testsupport.fleet;

import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The fleet's entry point: HAProxy in TCP mode on its own host, standing for the VIP or DNS name in front of the
 * gateways (docs/ARCHITECTURE.md "Testing"). Settings, as HAProxy's configuration manual recommends for a TCP front
 * with health checks:
 * <ul>
 *   <li>{@code mode tcp}, {@code balance roundrobin}: connections spread over the gateways, bytes untouched;</li>
 *   <li>{@code option httpchk GET /health} on the gateway's admin port ({@code check port}), {@code inter 500ms
 *       fall 2 rise 2}: a gateway that dies or drains is out of rotation within about a second, and back after
 *       two good checks; {@code timeout check 1s};</li>
 *   <li>{@code retries 3} with {@code option redispatch 1}: a connection that cannot be made to one gateway is
 *       retried on another on every retry, so a dead gateway not yet marked down costs a new connection no error;
 *       {@code timeout connect 1s} bounds each attempt;</li>
 *   <li>{@code on-marked-down shutdown-sessions}: once a gateway is marked down, connections still open to it are
 *       closed at once rather than hanging until a timeout (their requests in flight fail; kept-alive clients
 *       reconnect through a live gateway);</li>
 *   <li>{@code timeout client/server 30s}: above the slowest request the scenarios send.</li>
 * </ul>
 */
public final class HaproxyFront implements AutoCloseable {

  /** The port clients connect to on the front's host. */
  public static final int PORT = 80;

  private final NetnsHost host;
  private final ManagedProcess process;

  private HaproxyFront(NetnsHost host, ManagedProcess process) {
    this.host = host;
    this.process = process;
  }

  /** Writes the configuration for {@code gateways}, starts HAProxy on {@code host} and waits until it accepts. */
  public static HaproxyFront start(NetnsHost host, Path dir, List<Service> gateways) {
    Path config = dir.resolve("haproxy.cfg");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, config(host, gateways));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess p = ManagedProcess.builder(host.command(List.of(binary(), "-db", "-f", config.toString())))
        .name("haproxy").logFile(dir.resolve("haproxy.log")).start();
    HaproxyFront front = new HaproxyFront(host, p);
    Poll.until(Duration.ofSeconds(20), () -> {
      if (!p.isAlive()) {
        throw new AssertionError("haproxy exited: " + p.logTail(20));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host.address(), PORT), 500);
        return true;
      }
    }, "HAProxy to accept connections on " + host.address() + ":" + PORT);
    return front;
  }

  static String config(NetnsHost host, List<Service> gateways) {
    StringBuilder sb = new StringBuilder("""
        global
          maxconn 4000

        defaults
          mode tcp
          timeout connect 1s
          timeout client 30s
          timeout server 30s
          timeout check 1s
          retries 3
          option redispatch 1

        frontend front
        """);
    sb.append("  bind ").append(host.address()).append(':').append(PORT).append('\n');
    sb.append("""
          default_backend gateways

        backend gateways
          balance roundrobin
          option httpchk GET /health
          default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
        """);
    for (Service g : gateways) {
      sb.append("  server ").append(g.id()).append(' ').append(g.host().address()).append(':').append(g.httpPort())
          .append(" check port ").append(g.adminPort()).append('\n');
    }
    return sb.toString();
  }

  /** HAProxy's binary: Debian's {@code /usr/sbin/haproxy}, else the first on the PATH. */
  static String binary() {
    if (Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      return "/usr/sbin/haproxy";
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
        return Path.of(dir, "haproxy").toString();
      }
    }
    throw new IllegalStateException("no haproxy binary: install Debian's haproxy (apt-get install haproxy),"
        + " as .ci/run does");
  }

  public NetnsHost host() {
    return host;
  }

  /** Where clients connect: the front host's address. */
  public String address() {
    return host.address();
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
