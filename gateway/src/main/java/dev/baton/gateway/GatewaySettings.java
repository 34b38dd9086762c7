package dev.baton.gateway;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.gateway.connections.ConnectionLimits;
import dev.baton.gateway.connections.DescriptorLimits;
import dev.baton.gateway.proxy.TrustedProxies;
import dev.baton.gateway.routing.Ejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's own keys on top of DESIGN.md §7, read once from {@link BatonConfig#settings()} with the
 * same error messages as the common keys. Every limit and timeout has a default that suits one machine.
 */
public record GatewaySettings(BatonConfig config, String defaultApp, TrustedProxies trustedProxies,
                              Set<String> ownHosts, int maxUriBytes, int maxHeaderBytes, long maxBodyBytes,
                              long headerTimeoutMs, int idleTimeoutSeconds, long upstreamTimeoutMs,
                              int connectTimeoutMs, int upstreamPoolSize, Ejection ejection, boolean versionHeader,
                              long shutdownTimeoutMs, int trafficInstances, long consulWaitSeconds,
                              long consulSettleMs, String transport, Tls tls, long handoverMs,
                              RequestBodies bodies, UpstreamQueue upstreamQueue, ConnectionLimits connections) {

  /**
   * HTTPS on a second traffic port: a PEM certificate chain and private key, re-read every {@code reloadSeconds}
   * when their files change (0: never), so a renewed certificate is served without a restart; with
   * {@code redirect}, plain HTTP requests are redirected to it.
   */
  public record Tls(int port, String certPath, String keyPath, long reloadSeconds, boolean redirect) {
  }

  /**
   * How request bodies are read (docs/ARCHITECTURE.md, Gateway, "Request bodies"): a body whose
   * {@code Content-Length} is at most {@code bufferBytes} is read whole before an instance connection is taken
   * (nginx's {@code proxy_request_buffering on}); every body must keep arriving, at most {@code timeoutMs} between
   * two reads (nginx's {@code client_body_timeout}, 60 s) and, after {@code graceMs}, at {@code minRate} bytes/s on
   * average (Apache's {@code mod_reqtimeout} default {@code body=20,MinRate=500}; 0 turns the rate off).
   */
  public record RequestBodies(int bufferBytes, long timeoutMs, long minRate, long graceMs) {
  }

  /**
   * The wait for a connection to an instance (docs/ARCHITECTURE.md, Gateway, "Request bodies"): at most
   * {@code size} requests wait per instance and event loop (Envoy's {@code max_pending_requests}, 1024), each
   * for at most {@code timeoutMs} plus the connect timeout (HAProxy's {@code timeout queue}, which defaults to
   * its {@code timeout connect}); beyond either the client gets 503 {@code upstream_busy}.
   */
  public record UpstreamQueue(int size, long timeoutMs) {
  }

  /** Values of {@code BATON_TRANSPORT}: {@code auto} takes the first available of io_uring, epoll, NIO. */
  public static final List<String> TRANSPORTS = List.of("auto", "io_uring", "epoll", "nio");

  public static GatewaySettings from(BatonConfig c) {
    return from(c, DescriptorLimits.current());
  }

  /** As {@link #from(BatonConfig)} with the process's open-file limits given ({@code BATON_MAX_CONNECTIONS}). */
  public static GatewaySettings from(BatonConfig c, DescriptorLimits descriptors) {
    String defaultApp = c.stringSetting("BATON_DEFAULT_APP", null);
    if (defaultApp != null && !dev.baton.common.model.Names.isApp(defaultApp)) {
      throw new ConfigException(List.of("BATON_DEFAULT_APP: '" + defaultApp + "' is not an app name"));
    }
    TrustedProxies trusted;
    try {
      trusted = TrustedProxies.parse(c.stringSetting("BATON_TRUSTED_PROXIES", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("BATON_TRUSTED_PROXIES: " + e.getMessage()));
    }
    Set<String> own = new TreeSet<>(List.of("localhost", "127.0.0.1", "[::1]", c.bind().toLowerCase(Locale.ROOT),
        c.advertiseHost().toLowerCase(Locale.ROOT)));
    Arrays.stream(c.stringSetting("BATON_HOSTS", "").split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> s.toLowerCase(Locale.ROOT)).forEach(own::add);
    Ejection ejection = Ejection.ofMillis((int) c.intSetting("BATON_EJECT_AFTER", 3, 1, 1000),
        c.intSetting("BATON_EJECT_BASE_MS", 1000, 10, 600_000), c.intSetting("BATON_EJECT_MAX_MS", 30_000, 10, 3_600_000),
        (int) c.intSetting("BATON_EJECT_AFTER_5XX", Ejection.DEFAULT_SERVER_ERRORS, 0, 1000));
    String transport = c.stringSetting("BATON_TRANSPORT", "auto").toLowerCase(Locale.ROOT);
    if (!TRANSPORTS.contains(transport)) {
      throw new ConfigException(List.of("BATON_TRANSPORT: '" + transport + "' is not one of " + TRANSPORTS));
    }
    Tls tls = tls(c);
    int connectTimeoutMs = (int) c.intSetting("BATON_CONNECT_TIMEOUT_MS", 2_000, 50, 60_000);
    RequestBodies bodies = new RequestBodies(
        (int) c.intSetting("BATON_REQUEST_BUFFER_BYTES", 64 * 1024, 0, 16L << 20),
        c.intSetting("BATON_BODY_TIMEOUT_MS", 60_000, 100, 3_600_000),
        c.intSetting("BATON_BODY_MIN_RATE", 500, 0, 1L << 30),
        c.intSetting("BATON_BODY_RATE_GRACE_MS", 20_000, 0, 3_600_000));
    UpstreamQueue queue = new UpstreamQueue((int) c.intSetting("BATON_UPSTREAM_QUEUE_SIZE", 1024, 0, 1_000_000),
        c.intSetting("BATON_UPSTREAM_QUEUE_TIMEOUT_MS", connectTimeoutMs, 10, 600_000));
    return new GatewaySettings(c, defaultApp, trusted, Set.copyOf(own),
        (int) c.intSetting("BATON_MAX_URI_BYTES", 8192, 256, 1 << 20),
        (int) c.intSetting("BATON_MAX_HEADER_BYTES", 16384, 1024, 1 << 20),
        c.intSetting("BATON_MAX_BODY_BYTES", 10L << 20, 0, Long.MAX_VALUE),
        c.intSetting("BATON_HEADER_TIMEOUT_MS", 30_000, 100, 3_600_000),
        (int) c.intSetting("BATON_IDLE_TIMEOUT_S", 60, 1, 86_400),
        c.intSetting("BATON_UPSTREAM_TIMEOUT_MS", 60_000, 100, 3_600_000),
        connectTimeoutMs,
        (int) c.intSetting("BATON_UPSTREAM_POOL_SIZE", 256, 1, 100_000),
        ejection,
        c.boolSetting("BATON_VERSION_HEADER", true),
        c.intSetting("BATON_SHUTDOWN_TIMEOUT_MS", 30_000, 0, 3_600_000),
        (int) c.intSetting("BATON_TRAFFIC_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        c.intSetting("BATON_CONSUL_WAIT_S", 30, 1, 300),
        c.intSetting("BATON_CONSUL_SETTLE_MS", 15_000, 0, 600_000),
        transport, tls,
        // As Envoy's drain_timeout (5 s): how long a stopping gateway that shares its port keeps accepting and
        // answering with Connection: close before it closes the port (gateway/README.md, "Replacing a gateway").
        c.intSetting("BATON_HANDOVER_MS", 5_000, 0, 600_000), bodies, queue, ConnectionLimits.from(c, trusted, descriptors));
  }

  /** {@code BATON_HTTPS_PORT} with its certificate and key, or null when HTTPS is off; files must be readable. */
  static Tls tls(BatonConfig c) {
    int port = (int) c.intSetting("BATON_HTTPS_PORT", 0, 0, 65_535);
    String cert = c.stringSetting("BATON_TLS_CERT", null);
    String key = c.stringSetting("BATON_TLS_KEY", null);
    long reload = c.intSetting("BATON_TLS_RELOAD_S", 60, 0, 86_400);
    boolean redirect = c.boolSetting("BATON_HTTPS_REDIRECT", false);
    List<String> problems = new ArrayList<>();
    if (port == 0) {
      if (cert != null || key != null || redirect) {
        problems.add("BATON_TLS_CERT/BATON_TLS_KEY/BATON_HTTPS_REDIRECT are set but BATON_HTTPS_PORT is not: "
            + "set the HTTPS port or drop them");
      }
    } else {
      if (port == c.httpPort() || port == c.adminPort()) {
        problems.add("BATON_HTTPS_PORT: " + port + " is already the HTTP or admin port");
      }
      readable("BATON_TLS_CERT", cert, "the PEM certificate chain", problems);
      readable("BATON_TLS_KEY", key, "the PEM private key", problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return port == 0 ? null : new Tls(port, cert, key, reload, redirect);
  }

  private static void readable(String key, String path, String what, List<String> problems) {
    if (path == null || path.isBlank()) {
      problems.add(key + ": BATON_HTTPS_PORT needs " + what + " (a file path)");
    } else if (!Files.isReadable(Path.of(path))) {
      problems.add(key + ": cannot read '" + path + "' (" + what + ")");
    }
  }

  public String id() {
    return config.id();
  }
}
