package dev.baton.gateway;

import dev.baton.common.bus.Addresses;
import dev.baton.common.consul.ConsulAccess;
import dev.baton.gateway.admin.AdminVerticle;
import dev.baton.gateway.connections.ConnectionGate;
import dev.baton.gateway.consul.GatewayRegistration;
import dev.baton.gateway.discovery.Backoff;
import dev.baton.gateway.discovery.ConsulWatcher;
import dev.baton.gateway.discovery.KvReader;
import dev.baton.gateway.discovery.RouteHolder;
import dev.baton.gateway.discovery.SourceHealth;
import dev.baton.gateway.discovery.StartupTimeout;
import dev.baton.gateway.drain.DrainResponder;
import dev.baton.gateway.handover.Listeners;
import dev.baton.gateway.metrics.GatewayMetrics;
import dev.baton.gateway.proxy.TlsReloader;
import dev.baton.gateway.proxy.TrafficVerticle;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.ext.consul.ConsulClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's composition root. {@link #start()} completes only when the gateway is ready: the admin port
 * listens, the first route table was built from Consul, the HTTPS certificate loads, the drain consumer is
 * registered, then (last, so a failed start never took a connection) the traffic ports listen and the gateway
 * is registered in Consul. {@link #shutdown()} is the SIGTERM sequence.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewaySettings settings;
  private final MeterRegistry meterRegistry;
  private final ConnectionGate gate;
  private final List<TrafficVerticle> traffic = new CopyOnWriteArrayList<>();
  private AppliedAnnouncer announcer;
  private TlsReloader tlsReloader;
  private GatewayMetrics metrics;
  private UpstreamRegistry upstreams;
  private RouteHolder routes;
  private ConsulWatcher watcher;
  private DrainResponder drain;
  private GatewayRegistration registration;
  private ConsulAccess consulAccess;
  private AdminVerticle admin;
  private long metricsTimer = -1;
  private long windowStart;

  /** {@code gate}: the transport's gate, whose listening sockets {@link #shutdown()} closes first; may be null. */
  public GatewayVerticle(GatewaySettings settings, MeterRegistry meterRegistry, ConnectionGate gate) {
    this.settings = settings;
    this.meterRegistry = meterRegistry;
    this.gate = gate;
  }

  @Override
  public Future<?> start() {
    var c = settings.config();
    long wait = settings.consulWaitSeconds();
    consulAccess = ConsulAccess.from(c);
    ConsulClient consul = ConsulWatcher.client(vertx, consulAccess, wait);
    KvReader kv = new KvReader(vertx.createHttpClient(consulAccess.httpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4)), consulAccess, wait);
    metrics = new GatewayMetrics(meterRegistry);
    upstreams = new UpstreamRegistry(info -> new Upstream(info, settings.ejection(),
        metrics.observerFor(info, () -> upstreams.get(info.key()))));
    announcer = new AppliedAnnouncer(vertx, settings.id(),
        ack -> vertx.eventBus().publish(Addresses.ROUTES_APPLIED, ack.toJson()), AppliedAnnouncer.REPEATS_MS);
    routes = new RouteHolder(upstreams, settings.defaultApp(), this::applied, metrics::forget);
    watcher = new ConsulWatcher(vertx, consul, consulAccess, kv, wait, settings.consulSettleMs(), Backoff.DEFAULT,
        routes::apply, this::hostLost);
    drain = new DrainResponder(vertx, settings.id(), upstreams, routes);
    registration = new GatewayRegistration(consul, settings);
    admin = new AdminVerticle(settings, routes, upstreams, this::sources,
        meterRegistry instanceof PrometheusMeterRegistry p ? p : null);
    // Ready before it binds (docs/ARCHITECTURE.md, Gateway): everything that can fail comes before the traffic
    // ports, so a gateway that cannot start never took a connection, not even from the gateway it replaces.
    return vertx.deployVerticle(admin)
        .compose(id -> firstTable())
        .compose(v -> settings.tls() == null ? Future.<Void>succeededFuture() : TlsReloader.check(vertx, settings.tls()))
        .compose(v -> drain.start())
        .compose(v -> vertx.executeBlocking(this::announceSharedPorts))
        .compose(v -> vertx.deployVerticle(() -> {
          TrafficVerticle t = new TrafficVerticle(settings, routes);
          traffic.add(t);
          return t;
        }, new DeploymentOptions().setInstances(settings.trafficInstances())))
        .compose(id -> {
          if (settings.tls() == null) {
            return Future.succeededFuture();
          }
          tlsReloader = new TlsReloader(vertx, settings.tls(), () -> traffic);
          return tlsReloader.start();
        })
        .compose(v -> registration.register(eventBusAddress(), c.httpPort(), c.adminPort())
            .recover(e -> Future.failedFuture(consulAccess.explain(e))))
        .onSuccess(v -> {
          windowStart = System.currentTimeMillis();
          metricsTimer = vertx.setPeriodic(1000, t -> publishMetrics());
          LOG.info("gateway admin listening on {}:{}", c.adminBind(), c.adminPort());
          LOG.info("gateway reads {}", consulAccess);
          if (settings.tls() != null) {
            LOG.info("gateway listening for HTTPS on {}:{} (certificate {})", c.bind(), settings.tls().port(),
                settings.tls().certPath());
          }
          LOG.info("gateway listening on {}:{}", c.bind(), c.httpPort());
        })
        .onFailure(e -> watcher.stop()); // no Consul reads on a client the failed start is about to close
  }

  public RouteSource routes() {
    return routes;
  }

  public UpstreamRegistry upstreams() {
    return upstreams;
  }

  private Future<Void> firstTable() {
    long timeoutMs = settings.config().intSetting("BATON_STARTUP_TIMEOUT_MS", 30_000, 1_000, 600_000);
    Promise<Void> p = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t ->
        p.tryFail(StartupTimeout.message(consulAccess.address(), timeoutMs, sources())));
    watcher.start().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        p.tryFail(ar.cause()); // Consul refused us (token, HTTPS): waiting longer would not help
      } else {
        p.tryComplete();
      }
    });
    return p.future();
  }

  private List<SourceHealth> sources() {
    return watcher == null ? List.of() : watcher.health();
  }

  /** Instances whose node Consul marks failed (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"). */
  private void hostLost(Set<String> keys) {
    Set<Upstream> lost = upstreams.hostLost(keys);
    if (lost.isEmpty()) {
      return;
    }
    // Each event loop tells its own waiting requests (docs/ARCHITECTURE.md, "Host-lost bookkeeping per event loop").
    List<Future<Integer>> loops = traffic.stream().map(t -> t.hostLost(lost)).toList();
    Future.all(loops).onComplete(ar -> {
      int told = loops.stream().filter(Future::succeeded).mapToInt(Future::result).sum();
      if (told > 0) {
        LOG.warn("host lost: Consul marks the node of {} failed; {} request(s) waiting for an answer from it are"
            + " retried elsewhere when safe, else answered 502", keys, told);
      }
      loops.stream().filter(Future::failed).findFirst().ifPresent(f -> LOG.error("host lost: telling the requests"
          + " waiting on {} failed", keys, f.cause()));
    });
  }

  private void applied(String app, long revision) {
    announcer.applied(app, revision);
  }

  private void publishMetrics() {
    long end = System.currentTimeMillis();
    Set<String> current = new HashSet<>();
    for (AppRoute app : routes.table().apps()) {
      app.versions().keySet().forEach(v -> current.add(GatewayMetrics.versionKey(app.name(), v)));
    }
    Map<String, Integer> inFlight = new HashMap<>();
    for (Upstream u : upstreams.all()) {
      int n = u.inFlight();
      if (n > 0) {
        inFlight.put(u.info().id(), n);
      }
    }
    var message = metrics.drain(settings.id(), windowStart, end, current).withInFlight(inFlight);
    windowStart = end;
    if (!message.entries().isEmpty() || !inFlight.isEmpty()) {
      vertx.eventBus().publish(Addresses.GATEWAY_METRICS, message.toJson());
    }
  }

  private String eventBusAddress() {
    if (vertx.isClustered() && vertx instanceof VertxInternal vi && vi.clusterManager() != null) {
      NodeInfo node = vi.clusterManager().getNodeInfo();
      if (node != null) {
        return node.host() + ":" + node.port();
      }
    }
    return "";
  }

  /**
   * Says, before the traffic ports are bound, which of them another process already listens on: this gateway
   * then shares them ({@code SO_REUSEPORT}), as a gateway replacing another does (gateway/README.md,
   * "Replacing a gateway without dropping a request"). Blocking: reads the kernel's socket tables.
   */
  private Void announceSharedPorts() {
    boolean shared = false;
    for (var port : trafficPorts().entrySet()) {
      int others = Listeners.count(port.getValue()).orElse(0);
      if (others > 0) {
        shared = true;
        LOG.info("gateway shares port {} ({}) with {} listener(s) of another process (SO_REUSEPORT): the kernel"
            + " spreads new connections across them, as when this gateway replaces another", port.getValue(),
            port.getKey(), others);
      }
    }
    if (shared && !Listeners.migratesQueuedConnections().orElse(true)) {
      LOG.warn("net.ipv4.tcp_migrate_req is 0: when a gateway sharing this port closes it, connections still in"
          + " its accept queue are reset; set it to 1 (gateway/README.md, \"Replacing a gateway\")");
    }
    return null;
  }

  private Map<String, Integer> trafficPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("BATON_HTTP_PORT", settings.config().httpPort());
    if (settings.tls() != null) {
      ports.put("BATON_HTTPS_PORT", settings.tls().port());
    }
    return ports;
  }

  /**
   * SIGTERM (docs/ARCHITECTURE.md, Gateway, "Replacing a gateway"): from now on every response says
   * {@code Connection: close}. When another process listens on the traffic port too (the gateway replacing this
   * one), the port keeps accepting for {@code BATON_HANDOVER_MS}, so clients on keep-alive connections move over
   * after their current response; else it stops accepting at once. Then the ports close, idle connections
   * close, in-flight requests finish (up to {@code BATON_SHUTDOWN_TIMEOUT_MS}, which also ends open WebSocket
   * sessions), and the gateway leaves Consul and the cluster. The caller closes Vert.x afterwards.
   */
  public Future<Void> shutdown() {
    if (metricsTimer >= 0) {
      vertx.cancelTimer(metricsTimer);
    }
    if (tlsReloader != null) {
      tlsReloader.stop();
    }
    traffic.forEach(TrafficVerticle::closing);
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> Listeners.count(settings.config().httpPort()).orElse(1))
        .compose(listeners -> {
          if (listeners <= 1 || settings.handoverMs() == 0) {
            LOG.info("gateway stopping: no new connections, finishing in-flight requests");
            return Future.<Void>succeededFuture();
          }
          LOG.info("gateway stopping: port {} is shared with {} other listener(s), accepting for {} ms more with"
              + " Connection: close on every response", settings.config().httpPort(), listeners - 1,
              settings.handoverMs());
          return vertx.timer(settings.handoverMs()).<Void>mapEmpty();
        })
        .compose(v -> {
          LOG.info("gateway closing its traffic ports, finishing in-flight requests");
          return gate == null ? Future.<Void>succeededFuture()
              : Future.fromCompletionStage(gate.closeListeners(), vertx.getOrCreateContext());
        })
        .compose(v -> {
          return Future.join(traffic.stream().map(t -> t.drainAndClose(settings.shutdownTimeoutMs())).toList());
        })
        .transform(ar -> {
          LOG.info("gateway traffic ports closed, connections done after {} ms",
              (System.nanoTime() - started) / 1_000_000);
          return registration == null ? Future.succeededFuture(true) : registration.deregister();
        })
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("could not deregister from Consul: {}", ar.cause().toString());
          } else if (!ar.result()) {
            LOG.info("gateway left its Consul registration in place: the gateway replacing it registered since");
          }
          if (watcher != null) {
            watcher.stop();
          }
          return drain == null ? Future.<Void>succeededFuture() : drain.stop();
        })
        .transform(ar -> Future.succeededFuture());
  }
}
