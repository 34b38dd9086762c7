package dev.baton.registry;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import dev.baton.common.http.AccessPolicy;
import dev.baton.common.http.server.LimitedHttpServer;
import dev.baton.common.http.server.ServerLimits;
import dev.baton.common.model.Release;
import dev.baton.registry.api.AppHandler;
import dev.baton.registry.api.AppInstances;
import dev.baton.registry.api.ArtifactHandler;
import dev.baton.registry.api.ArtifactService;
import dev.baton.registry.api.EventStream;
import dev.baton.registry.api.GroupHandler;
import dev.baton.registry.group.GroupCoordinator;
import dev.baton.registry.group.GroupService;
import dev.baton.registry.store.GroupStore;
import dev.baton.registry.api.RegistryApi;
import dev.baton.registry.api.ReleaseHandler;
import dev.baton.registry.api.TrafficHandler;
import dev.baton.registry.fleet.BusReleaseActions;
import dev.baton.registry.fleet.FleetDiscovery;
import dev.baton.registry.fleet.LeaderLock;
import dev.baton.registry.fleet.MetricsCollector;
import dev.baton.registry.fleet.RoutesAppliedTracker;
import dev.baton.registry.peer.ArtifactReplicas;
import dev.baton.registry.peer.PeerClient;
import dev.baton.registry.peer.PeerSettings;
import dev.baton.registry.peer.RegistryPeers;
import dev.baton.registry.reconcile.AppStatusStore;
import dev.baton.registry.reconcile.Reconciler;
import dev.baton.registry.release.GateCaller;
import dev.baton.registry.release.ReleaseController;
import dev.baton.registry.hooks.Notifier;
import dev.baton.registry.hooks.PrometheusClient;
import dev.baton.registry.hooks.WebhookClient;
import dev.baton.common.model.AppSpec;
import dev.baton.registry.api.ReleaseService;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.KvStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.RouteStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.CheckOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry: REST API, artifact store, release controller (active only while this registry holds
 * the leader lock), discovery of agents and gateways, and its own {@code baton-registry} registration.
 * Stopping finishes in-flight release work before releasing the lock.
 */
public final class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);
  /** Default idle timeout of the API: well above the events stream's 15 s keepalive. */
  private static final int IDLE_TIMEOUT_S = 60;

  private final BatonConfig config;
  private final RegistrySettings settings;
  private ConsulAccess consulAccess;
  private ConsulClient consul;
  private FleetDiscovery fleet;
  private RoutesAppliedTracker applied;
  private MetricsCollector metrics;
  private ReleaseController controller;
  private Reconciler reconciler;
  private LeaderLock lock;
  private LimitedHttpServer server;
  private EventStream events;
  private TrafficHandler traffic;
  private ArtifactReplicas replicas;
  private Notifier notifier;
  private WebhookClient webhooks;

  public RegistryVerticle(BatonConfig config) {
    this.config = config;
    this.settings = RegistrySettings.from(config);
  }

  @Override
  public Future<?> start() {
    consulAccess = ConsulAccess.from(config);
    consul = ConsulClient.create(vertx, consulAccess.clientOptions().setTimeout(10_000));
    KvStore kv = new KvStore(consul);
    AppStore apps = new AppStore(kv);
    RouteStore routes = new RouteStore(kv);
    ReleaseStore releases = new ReleaseStore(kv);
    ArtifactStore artifacts = new ArtifactStore(vertx, kv, Path.of(settings.dataDir()).toAbsolutePath(),
        settings.maxArtifactBytes(), settings.artifactQuotaBytes(), settings.publicUrl());
    AppInstances instances = new AppInstances(consul);
    replicas = new ArtifactReplicas(vertx, artifacts, new RegistryPeers(consul, consulAccess, settings.id(),
        config.clusterMembers()),
        new PeerClient(vertx, config.bearerToken(), settings.id()), settings.id(), PeerSettings.from(config));
    applied = new RoutesAppliedTracker(vertx);
    metrics = new MetricsCollector(vertx, 15 * 60_000L);
    AppStatusStore statuses = new AppStatusStore(kv);
    return FleetDiscovery.start(vertx, consul, consulAccess, settings.discoveryScanMs(), settings.hostLostMs())
        .compose(f -> {
          fleet = f;
          BusReleaseActions actions = new BusReleaseActions(vertx, consul, releases, apps, routes, artifacts, fleet,
              applied, metrics, new BusReleaseActions.Timeouts(settings.startTimeoutMs(), settings.stopTimeoutMs(),
              settings.listTimeoutMs(), settings.routeAckTimeoutMs(), settings.routePropagationMs()));
          webhooks = new WebhookClient(vertx);
          GroupStore groupStore = new GroupStore(kv);
          GroupCoordinator groups = new GroupCoordinator(groupStore, releases, actions::publish, settings.id(),
              System::currentTimeMillis, settings.tickMs());
          controller = new ReleaseController(vertx, actions, new ReleaseController.Settings(settings.tickMs(),
              settings.progressDeadlineMs(), 3, settings.id()), System::currentTimeMillis, GateCaller.http(webhooks),
              groups);
          notifier = new Notifier(vertx, app -> apps.get(app).map(spec -> spec.map(AppSpec::notifications)
              .orElse(List.of())), webhooks, settings.id());
          reconciler = new Reconciler(vertx, apps, releases, actions, statuses, fleet.liveness()::states,
              new Reconciler.Settings(settings.reconcileMs(), settings.id()), System::currentTimeMillis);
          ReleaseService service = new ReleaseService(apps, routes, releases, artifacts, instances::serving,
              instances::passing, controller, new PrometheusClient(vertx));
          lock = new LeaderLock(vertx, consul, consulAccess, settings.id(), settings.publicUrl(), settings.leaderTtlSeconds(),
              settings.leaderCheckMs(), new LeaderLock.Listener() {
                @Override
                public void gained() {
                  controller.start();
                  reconciler.start();
                  groups.resume().onFailure(e -> LOG.warn("cannot list release groups to resume: {}", e.toString()));
                  releases.listAll().onSuccess(all -> all.stream().map(Versioned::value)
                      .filter(r -> !r.phase().isTerminal()).map(Release::id).forEach(controller::poke))
                      .onFailure(e -> LOG.warn("cannot list releases to resume: {}", e.toString()));
                }

                @Override
                public void lost() {
                  controller.stop();
                  reconciler.stop();
                }
              });
          RegistryApi api = new RegistryApi(AccessPolicy.from(config), new RegistryApi.Leadership() {
            @Override
            public boolean isLeader() {
              return lock.isLeader();
            }

            @Override
            public Future<Optional<JsonObject>> leader() {
              return lock.leader();
            }
          });
          ArtifactService artifactService = new ArtifactService(artifacts, routes, releases, instances, service);
          var router = api.router(vertx, settings.maxBodyBytes(), settings.id(),
              new ArtifactHandler(artifacts, artifactService, replicas, settings.id()),
              new AppHandler(apps, routes, service, instances, statuses, fleet, metrics),
              new ReleaseHandler(service, releases, apps),
              new GroupHandler(new GroupService(service, releases, groupStore, groups, controller)),
              events = new EventStream(vertx),
              traffic = new TrafficHandler(vertx, apps, metrics, System::currentTimeMillis));
          server = LimitedHttpServer.create(vertx, ServerLimits.from(config, IDLE_TIMEOUT_S), router);
          return Future.all(server.listen(settings.httpPort(), settings.bind()), applied.ready(), metrics.ready(),
              notifier.start());
        })
        .compose(v -> lock.start())
        .compose(v -> register().recover(e -> Future.failedFuture(consulAccess.explain(e))))
        .onSuccess(v -> {
          replicas.start();
          LOG.info("registry listening on {}:{}", settings.bind(), server.actualPort());
          LOG.info("registry keeps its state in {}", consulAccess);
        });
  }

  private Future<Void> register() {
    int port = server.actualPort();
    String host = "0.0.0.0".equals(settings.bind()) ? config.advertiseHost() : settings.bind();
    return consul.registerService(new ServiceOptions().setName(ServiceNames.REGISTRY).setId(settings.id())
        .setAddress(config.advertiseHost()).setPort(port).setTags(List.of(ServiceNames.TAG_BATON))
        .setMeta(Map.of(ServiceNames.META_HTTP, settings.publicUrl()))
        .setCheckOptions(new CheckOptions().setName("baton registry " + settings.id() + " health")
            .setHttp("http://" + host + ":" + port + "/v1/health").setInterval("5s")
            .setDeregisterAfter("10m")));
  }

  @Override
  public Future<?> stop() {
    Future<Void> deregistered = consul.deregisterService(settings.id()).recover(e -> Future.succeededFuture());
    return deregistered
        .compose(v -> controller.stop())
        .compose(v -> reconciler.stop())
        .compose(v -> lock.stop())
        .compose(v -> {
          events.close();
          traffic.close();
          return server.shutdown(settings.shutdownGraceMs(), TimeUnit.MILLISECONDS)
            .recover(e -> Future.succeededFuture());
        })
        .onComplete(ar -> {
          notifier.stop();
          webhooks.close();
          replicas.close();
          fleet.close();
          consul.close();
        });
  }
}
