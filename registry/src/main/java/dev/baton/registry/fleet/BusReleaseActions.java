package dev.baton.registry.fleet;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.AgentAction;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.consul.ServiceNames;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ArtifactRef;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.StartInstanceRequest;
import dev.baton.registry.reconcile.HostLiveness;
import dev.baton.registry.reconcile.HostState;
import dev.baton.registry.release.AgentRefusal;
import dev.baton.registry.release.Observed;
import dev.baton.registry.release.ObservedInstance;
import dev.baton.registry.release.ReleaseActions;
import dev.baton.registry.store.AppStore;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.RouteStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link ReleaseActions}: releases in Consul KV, agents commanded over the event bus
 * ({@code baton.agent.<id>}, action header), instances observed through each live agent's LIST plus
 * Consul's health API (and Consul's catalog alone for a suspect agent), routes written with check-and-set and acknowledged by live gateways.
 */
public final class BusReleaseActions implements ReleaseActions {

  private static final Logger LOG = LoggerFactory.getLogger(BusReleaseActions.class);

  /** Timeouts of the commands and waits, in ms. */
  public record Timeouts(long startMs, long stopMs, long listMs, long routeAckMs, long propagationMs) {
  }

  private final Vertx vertx;
  private final ConsulClient consul;
  private final ReleaseStore releases;
  private final AppStore apps;
  private final RouteStore routes;
  private final ArtifactStore artifacts;
  private final FleetDiscovery fleet;
  private final RoutesAppliedTracker applied;
  private final MetricsCollector metrics;
  private final Timeouts timeouts;

  public BusReleaseActions(Vertx vertx, ConsulClient consul, ReleaseStore releases, AppStore apps, RouteStore routes,
                           ArtifactStore artifacts, FleetDiscovery fleet, RoutesAppliedTracker applied,
                           MetricsCollector metrics, Timeouts timeouts) {
    this.vertx = vertx;
    this.consul = consul;
    this.releases = releases;
    this.apps = apps;
    this.routes = routes;
    this.artifacts = artifacts;
    this.fleet = fleet;
    this.applied = applied;
    this.metrics = metrics;
    this.timeouts = timeouts;
  }

  @Override
  public Future<Optional<Versioned<Release>>> load(String releaseId) {
    return releases.get(releaseId);
  }

  @Override
  public Future<Versioned<Release>> save(Versioned<Release> current, Release next) {
    return releases.save(current, next);
  }

  @Override
  public Future<AppSpec> spec(String app) {
    return apps.get(app).map(s -> s.orElseThrow(() -> new IllegalStateException("app " + app + " no longer exists")));
  }

  /**
   * Lists the app's instances on every agent that passes in Consul; an agent that does not answer is reported to
   * {@link HostLiveness}. The instances of every suspect agent (not live, not lost yet) come from Consul's catalog
   * and count as possibly serving (docs/ARCHITECTURE.md, Registry, "Truth from every source"); those of a lost
   * agent count as gone.
   */
  @Override
  public Future<Observed> observe(AppSpec spec) {
    Future<List<FleetDiscovery.Member>> agents = fleet.agents();
    Future<List<ServiceEntry>> registered = registered(spec.name());
    Future<Optional<RoutePolicy>> route = routes.get(spec.name());
    return Future.all(agents, registered, route).compose(all -> {
      Set<String> passing = new HashSet<>();
      registered.result().stream().filter(e -> e.aggregatedStatus() == CheckStatus.PASSING)
          .forEach(e -> passing.add(e.getService().getId()));
      List<Future<List<ObservedInstance>>> lists = new ArrayList<>();
      for (FleetDiscovery.Member agent : agents.result()) {
        lists.add(list(agent.id(), spec.name(), passing));
      }
      return Future.join(lists).transform(ar -> {
        HostLiveness liveness = fleet.liveness();
        long now = System.currentTimeMillis();
        List<String> live = new ArrayList<>();
        List<ObservedInstance> instances = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
          String id = agents.result().get(i).id();
          boolean wasLive = liveness.state(id) == HostState.LIVE;
          liveness.answered(id, lists.get(i).succeeded(), now);
          if (wasLive && lists.get(i).failed()) {
            LOG.info("agent {} passes in Consul but did not answer LIST: {}", id, lists.get(i).cause().getMessage());
          }
          if (lists.get(i).succeeded()) {
            live.add(id);
            instances.addAll(lists.get(i).result());
          }
        }
        Set<String> suspect = new TreeSet<>();
        for (ServiceEntry e : registered.result()) {
          String agent = metaOf(e).get(ServiceNames.META_AGENT);
          if (agent != null && !live.contains(agent) && liveness.state(agent) == HostState.SUSPECT) {
            suspect.add(agent);
            instances.add(fromCatalog(agent, spec.name(), e));
          }
        }
        liveness.states().forEach((id, state) -> {
          if (state == HostState.SUSPECT && !live.contains(id)) {
            suspect.add(id);
          }
        });
        return Future.succeededFuture(new Observed(live, instances, route.result().orElse(null), now, metrics,
            List.copyOf(suspect)));
      });
    });
  }

  private Future<List<ServiceEntry>> registered(String app) {
    return consul.healthServiceNodes(app, false).map(list -> list == null || list.getList() == null
        ? List.<ServiceEntry>of() : list.getList());
  }

  /** An instance as Consul's catalog holds it: HEALTHY (possibly serving), routable when it passes. */
  private static ObservedInstance fromCatalog(String agent, String app, ServiceEntry e) {
    var s = e.getService();
    String version = ServiceNames.versionOf(s.getTags()).orElse(metaOf(e).getOrDefault(ServiceNames.META_VERSION, ""));
    Instance inst = new Instance(s.getId(), app, version, s.getPort(), 0, InstanceState.HEALTHY, null,
        "from Consul: agent " + agent + " does not answer");
    return new ObservedInstance(agent, inst, e.aggregatedStatus() == CheckStatus.PASSING);
  }

  private static Map<String, String> metaOf(ServiceEntry e) {
    return e.getService().getMeta() == null ? Map.of() : e.getService().getMeta();
  }

  private Future<List<ObservedInstance>> list(String agentId, String app, Set<String> passing) {
    return request(agentId, AgentAction.LIST, new JsonObject(), timeouts.listMs()).map(body -> {
      JsonArray all = ((JsonObject) body).getJsonArray("instances", new JsonArray());
      List<ObservedInstance> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        Instance inst = Instance.fromJson(all.getJsonObject(i));
        if (inst.app().equals(app)) {
          out.add(new ObservedInstance(agentId, inst, passing.contains(inst.id())));
        }
      }
      return out;
    });
  }

  @Override
  public Future<ArtifactRef> artifact(String app, String version) {
    return artifacts.meta(app, version).map(m -> m.map(a -> new ArtifactRef(artifacts.url(app, version), a.sha256()))
        .orElseThrow(() -> new IllegalStateException("artifact " + app + " " + version + " was never uploaded")));
  }

  @Override
  public Future<Instance> start(String agentId, StartInstanceRequest request) {
    return request(agentId, AgentAction.START, request.toJson(), timeouts.startMs())
        .map(body -> Instance.fromJson((JsonObject) body));
  }

  @Override
  public Future<Void> stop(String agentId, String instanceId) {
    return request(agentId, AgentAction.STOP, new JsonObject().put("id", instanceId), timeouts.stopMs())
        .<Void>mapEmpty().recover(e -> e instanceof ReplyException re && re.failureCode() == 404
            ? Future.succeededFuture() : Future.failedFuture(e));
  }

  @Override
  public Future<RouteWrite> writeRoute(RoutePolicy policy) {
    return routes.writeNotingOverride(policy).compose(w -> liveGateways()
        .compose(ids -> applied.await(policy.app(), w.policy().revision(), ids, this::liveGateways,
            timeouts.routeAckMs(), timeouts.propagationMs()))
        .map(note -> new RouteWrite(w.policy(), w.replacedOverride().map(o -> "route revision " + w.policy().revision()
            + " replaces " + o + (note == null ? "" : "; " + note)).orElse(note))));
  }

  private Future<Set<String>> liveGateways() {
    return fleet.gateways().map(gws -> {
      Set<String> ids = new TreeSet<>();
      gws.forEach(g -> ids.add(g.id()));
      return ids;
    });
  }

  @Override
  public void publish(BatonEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS, event.toJson());
  }

  private Future<Object> request(String agentId, AgentAction action, JsonObject body, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs)
        .addHeader(Addresses.ACTION_HEADER, action.header());
    return vertx.eventBus().request(Addresses.agent(agentId), body, options).map(m -> m.body())
        .recover(e -> Future.failedFuture(explain(agentId, action, e)));
  }

  /** The agent's own refusal, code kept, when it gave one (its failures carry the JSON error body). */
  private static Throwable explain(String agentId, AgentAction action, Throwable e) {
    AgentRefusal refusal = AgentRefusal.from(e);
    if (refusal != null) {
      return refusal;
    }
    return e instanceof ReplyException re ? new ReplyException(re.failureType(), re.failureCode(),
        action.header() + " on agent " + agentId + ": " + re.getMessage()) : e;
  }
}
