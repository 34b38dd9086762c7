package dev.baton.gateway;

import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.runtime.ServiceRuntime;
import dev.baton.gateway.connections.ConnectionGate;
import dev.baton.gateway.connections.DescriptorLimits;
import dev.baton.gateway.connections.GatedTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the gateway: config, clustered Vert.x with metrics, the {@link GatewayVerticle}, stop signals. */
public final class GatewayMain {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
  static final String METRICS_REGISTRY = "baton-gateway";

  private GatewayMain() {
  }

  /**
   * Hot-path defaults of Vert.x and Netty, as their benchmark configurations use them; each applies only when
   * not set on the command line ({@code -Dname=value} wins). They must be set before any Vert.x or Netty
   * class initialises, hence first thing in {@link #main}. Measured on the gateway benchmark
   * (bench/README.md): about 9 % less CPU per request. HTTP header validation stays on: it is what refuses
   * bare CR, NUL and non-token header names (request smuggling) at the decoder.
   */
  static final String[][] TUNING = {
      // no System.nanoTime() around every task dispatched on a context
      {"vertx.disableContextTimings", "true"},
      // no sampled leak tracking of pooled buffers (Netty's default samples 1 in 128 allocations)
      {"io.netty.leakDetection.level", "disabled"},
      // no reference-count and bounds checks on every buffer access (Netty's own code stays within bounds)
      {"io.netty.buffer.checkAccessible", "false"},
      {"io.netty.buffer.checkBounds", "false"},
  };

  static void applyTuningDefaults() {
    for (String[] kv : TUNING) {
      if (System.getProperty(kv[0]) == null) {
        System.setProperty(kv[0], kv[1]);
      }
    }
  }

  public static void main(String[] args) {
    applyTuningDefaults();
    GatewaySettings settings;
    Transport transport;
    try {
      BatonConfig config = ServiceRuntime.loadConfig(ServiceKind.GATEWAY);
      settings = GatewaySettings.from(config);
      transport = transport(settings.transport());
    } catch (ConfigException e) {
      System.err.println("gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConnectionGate gate = connectionGate(settings, registry);
    Transport gated = GatedTransport.of(transport, gate);
    MicrometerMetricsOptions metrics = vertxMetrics();
    BackendRegistries.setupBackend(metrics, registry);
    // One class loader in the gateway's jar: Vert.x need not set the thread's context class loader around every
    // event it dispatches (bench/README.md, "What each change gave").
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(metrics)
        .setDisableTCCL(true);
    ClusteredVertxFactory.create(settings.config(), options, gated).compose(vertx -> {
      GatewayVerticle gateway = new GatewayVerticle(settings, registry, gate);
      return vertx.deployVerticle(gateway).map(id -> {
        onStopSignals(Duration.ofMillis(settings.handoverMs() + settings.shutdownTimeoutMs() + 10_000),
            () -> gateway.shutdown().eventually(vertx::close));
        System.out.println("gateway: network transport " + transport.name()
            + ("auto".equals(settings.transport()) ? " (BATON_TRANSPORT=auto)" : ""));
        LOG.info("gateway connection limits: {}", settings.connections());
        DescriptorLimits fds = settings.connections().descriptors();
        if (fds.known() && fds.hard() > fds.soft()) {
          LOG.warn("the open-file soft limit ({}) is below the hard limit ({}): the JVM did not raise it "
              + "(-XX:-MaxFDLimit?); BATON_MAX_CONNECTIONS follows the soft limit", fds.soft(), fds.hard());
        }
        return id;
      }).onFailure(e -> vertx.close());
    }).onFailure(e -> {
      System.err.println("gateway failed to start: " + e.getMessage());
      System.exit(1);
    });
  }

  /**
   * SIGTERM or SIGINT: the first runs {@code stop} (the graceful sequence of {@link GatewayVerticle#shutdown()},
   * then closing Vert.x) and halts with 0 once it finished, or 1 when it did not within {@code max}; a second
   * signal halts at once with 1, cutting what is still in flight (an operator who cannot wait, or a service
   * manager's final word). The JVM's own handling would run shutdown hooks once and ignore later signals.
   */
  static void onStopSignals(Duration max, Supplier<Future<?>> stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    SignalHandler handler = signal -> {
      if (!stopping.compareAndSet(false, true)) {
        System.err.println("gateway: second SIG" + signal.getName() + ", exiting now; requests still in flight are cut");
        System.err.flush();
        Runtime.getRuntime().halt(1);
      }
      Thread t = new Thread(() -> {
        int status = 0;
        try {
          stop.get().toCompletionStage().toCompletableFuture().get(max.toMillis(), TimeUnit.MILLISECONDS);
          System.out.println("gateway stopped");
        } catch (Exception e) {
          System.err.println("gateway did not stop cleanly within " + max + ": " + e);
          status = 1;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
      }, "gateway-stop");
      t.start();
    };
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
  }

  /**
   * The network transport for {@code BATON_TRANSPORT}. {@code auto} takes io_uring when the kernel allows it
   * (it is off in some kernels and container seccomp profiles), else epoll, else the JDK's NIO. On the
   * gateway benchmark io_uring wakes the co-located backend ~15× less often per request than epoll and
   * raises throughput by ~10 % (bench/README.md). A transport named explicitly must be available.
   */
  static Transport transport(String setting) {
    return switch (setting) {
      case "auto" -> Transport.IO_URING.available() ? Transport.IO_URING
          : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case "io_uring" -> available(Transport.IO_URING);
      case "epoll" -> available(Transport.EPOLL);
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException("unknown transport '" + setting
          + "' (GatewaySettings checks BATON_TRANSPORT against " + GatewaySettings.TRANSPORTS + ")");
    };
  }

  private static Transport available(Transport t) {
    if (!t.available()) {
      Throwable cause = t.unavailabilityCause();
      throw new ConfigException(List.of("BATON_TRANSPORT: " + t.name() + " is not available here ("
          + (cause == null ? "unknown cause" : cause.getMessage()) + "); use auto, epoll or nio"));
    }
    return t;
  }

  /**
   * The gate of the traffic ports (docs/ARCHITECTURE.md, Gateway, "Connection limits"), with its gauge of open
   * client connections and its counters of refusals and accept failures.
   */
  static ConnectionGate connectionGate(GatewaySettings settings, MeterRegistry registry) {
    Set<Integer> ports = new HashSet<>(List.of(settings.config().httpPort()));
    if (settings.tls() != null) {
      ports.add(settings.tls().port());
    }
    ConnectionGate gate = new ConnectionGate(settings.connections(), ports);
    Gauge.builder("baton_gateway_connections", gate, g -> g.counts().open())
        .description("client connections open on the traffic ports").register(registry);
    Gauge.builder("baton_gateway_connections_limit", settings.connections(), l -> l.maxConnections())
        .description("BATON_MAX_CONNECTIONS").register(registry);
    FunctionCounter.builder("baton_gateway_connections_refused_total", gate, ConnectionGate::refusedOverGlobal)
        .tag("limit", "global").description("connections closed on accept, beyond a connection limit")
        .register(registry);
    FunctionCounter.builder("baton_gateway_connections_refused_total", gate, ConnectionGate::refusedOverClient)
        .tag("limit", "client").description("connections closed on accept, beyond a connection limit")
        .register(registry);
    FunctionCounter.builder("baton_gateway_accept_failures_total", gate, ConnectionGate::acceptFailures)
        .description("failed accepts (e.g. too many open files)").register(registry);
    return gate;
  }

  /** Vert.x's own metrics (event bus, pools, JVM) into our registry; HTTP/TCP categories stay off the hot path. */
  static MicrometerMetricsOptions vertxMetrics() {
    return new MicrometerMetricsOptions().setEnabled(true).setRegistryName(METRICS_REGISTRY)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
  }
}
