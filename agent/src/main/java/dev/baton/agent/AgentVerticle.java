package dev.baton.agent;

import dev.baton.agent.api.BusApi;
import dev.baton.agent.api.HttpApi;
import dev.baton.agent.artifact.ArtifactStore;
import dev.baton.agent.artifact.RegistryCredential;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.drain.DrainCoordinator;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.health.HealthGate;
import dev.baton.agent.instance.InstanceService;
import dev.baton.agent.isolation.Isolation;
import dev.baton.agent.process.LocalProcessDriver;
import dev.baton.agent.state.StateStore;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.http.AccessPolicy;
import dev.baton.common.http.server.LimitedHttpServer;
import dev.baton.common.http.server.ServerLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the agent and starts it: re-adopts the instances of a previous run, then listens on HTTP and on the
 * event bus, then registers itself in Consul. It is ready only when all of that succeeded. Stopping it
 * deregisters the agent, stops listening, lets stops in progress finish, and leaves the instances running.
 */
public final class AgentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);

  /** How long a shutdown waits for stops in progress. */
  static final long SHUTDOWN_WAIT_MS = 20_000;

  private final BatonConfig config;
  private final AgentSettings settings;
  private InstanceService service;
  private ConsulRegistrar registrar;
  private LimitedHttpServer server;
  private MessageConsumer<Object> consumer;
  private long resyncTimer = -1;
  private boolean resyncing;
  private boolean resyncFailing;
  private boolean stopping;

  public AgentVerticle(BatonConfig config) {
    this.config = config;
    this.settings = AgentSettings.from(config);
  }

  public AgentSettings settings() {
    return settings;
  }

  @Override
  public Future<?> start() {
    WebClient web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false).setMetricsName("agent-http"));
    ConsulAccess consulAccess = ConsulAccess.from(config);
    registrar = new ConsulRegistrar(WebClient.create(vertx, consulAccess.webClientOptions().setKeepAlive(false)),
        ConsulClient.create(vertx, consulAccess.clientOptions()), consulAccess, settings);
    StateStore store = new StateStore(vertx, settings.stateDir());
    EventPublisher events = new EventPublisher(vertx.eventBus(), settings.agentId());
    ArtifactStore artifacts = new ArtifactStore(vertx, settings.artifactDir(), settings.maxArtifactBytes(),
        RegistryCredential.from(config), registrar::passingRegistryUrls);
    HealthGate health = new HealthGate(vertx, web, settings.healthTimeoutMs(), settings.healthIntervalMs(),
        settings.requireVersion());
    DrainCoordinator drains = new DrainCoordinator(vertx, registrar::passingGateways, settings.agentId(),
        settings.drainTimeoutMs(), settings.drainPropagationMs());
    service = new InstanceService(vertx, settings, artifacts, new LocalProcessDriver(vertx), health, registrar,
        drains, store, events, new Isolation(vertx));
    HttpApi http = new HttpApi(service, settings.agentId(), AccessPolicy.from(config), settings.maxBodyBytes());
    LimitedHttpServer httpServer = LimitedHttpServer.create(vertx,
        ServerLimits.from(config, settings.defaultIdleTimeoutSeconds()), http.router(vertx));

    return service.recover()
        .compose(v -> Future.all(
            httpServer.listen(settings.httpPort(), settings.bind()).onSuccess(s -> server = s),
            new BusApi(service, settings.agentId()).listen(vertx.eventBus()).onSuccess(c -> consumer = c)))
        .compose(v -> registrar.registerAgent())
        .onSuccess(v -> {
          if (settings.resyncMs() > 0) {
            resyncTimer = vertx.setPeriodic(settings.resyncMs(), id -> resync());
          }
          LOG.info("agent listening on {}:{}", settings.bind(), server.actualPort());
          LOG.info("agent registers in {}", consulAccess);
        });
  }

  /**
   * Restores what the host's Consul agent lost (it restarted without its state): this agent's own
   * registration and those of its healthy instances that pass a health probe now (Consul also drops a hung
   * instance on its own; see {@link InstanceService#reregisterMissing}). One pass at a time; a Consul that
   * cannot be reached is reported once per outage and tried again on the next tick.
   */
  private void resync() {
    if (resyncing || stopping) {
      return;
    }
    resyncing = true;
    Set<String> candidates = service.registeredHealthy();
    registrar.localServiceIds().compose(ids -> {
      Future<Void> self = ids.contains(settings.agentId()) || stopping ? Future.succeededFuture()
          : registrar.registerAgent().onSuccess(v -> LOG.info(
              "registered {} in Consul again (the Consul agent had lost it)", settings.agentId()));
      return self.compose(v -> stopping ? Future.succeededFuture(List.<String>of())
          : service.reregisterMissing(candidates, ids));
    }).onComplete(ar -> {
      resyncing = false;
      if (ar.succeeded() && !ar.result().isEmpty()) {
        LOG.info("registered again in Consul: {}", ar.result());
      }
      if (ar.failed() && !resyncFailing) {
        LOG.warn("cannot check its Consul registrations ({}); trying again every {} ms", ar.cause().getMessage(),
            settings.resyncMs());
      }
      resyncFailing = ar.failed();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (resyncTimer >= 0) {
      vertx.cancelTimer(resyncTimer);
    }
    Future<Void> deregistered = registrar == null ? Future.succeededFuture()
        : registrar.deregisterAgent().recover(e -> {
          LOG.warn("could not deregister itself from Consul: {}", e.getMessage());
          return Future.succeededFuture();
        });
    return deregistered
        .compose(v -> consumer == null ? Future.succeededFuture() : consumer.unregister())
        .compose(v -> server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS))
        .compose(v -> service == null ? Future.succeededFuture() : service.shutdown(SHUTDOWN_WAIT_MS));
  }
}
