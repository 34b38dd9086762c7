package dev.baton.registry.release;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ArtifactRef;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.StartInstanceRequest;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counting fake of {@link ReleaseActions} that simulates the world: agents run instances (a start
 * makes a ready instance at once), a route write bumps the revision, saves are check-and-set. It also
 * checks the zero-downtime invariants on every action and records violations.
 */
final class FakeWorld implements ReleaseActions {

  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();
  final AtomicInteger routeWrites = new AtomicInteger();
  final AtomicInteger saves = new AtomicInteger();
  final AtomicInteger observes = new AtomicInteger();
  final List<String> startLog = Collections.synchronizedList(new ArrayList<>());
  final List<StartInstanceRequest> startRequests = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<BatonEvent> events = Collections.synchronizedList(new ArrayList<>());
  final List<RoutePolicy> routeHistory = Collections.synchronizedList(new ArrayList<>());

  private final Map<String, Versioned<Release>> releases = new HashMap<>();
  private final List<ObservedInstance> instances = new ArrayList<>();
  private final List<String> agents;
  private final Set<String> dying = new HashSet<>();
  private final AppSpec spec;
  private final Set<String> failingVersions = new HashSet<>();
  private int maxUnavailable;
  private RoutePolicy route;
  private long index = 1;
  private int port = 20000;
  volatile MetricsView metrics = MetricsView.NONE;
  volatile boolean frozen;
  volatile boolean portsLinger;

  FakeWorld(AppSpec spec, List<String> agents) {
    this.spec = spec;
    this.agents = new ArrayList<>(agents);
  }

  synchronized FakeWorld running(String version, int count) {
    for (int i = 0; i < count; i++) {
      String agent = agents.get(i % agents.size());
      instances.add(instance(agent, version, port++));
    }
    route = RoutePolicy.single(spec.name(), 1, version);
    return this;
  }

  synchronized FakeWorld failing(String version) {
    failingVersions.add(version);
    return this;
  }

  /** The agent dies on the next start it gets: no answer (a timeout), and it is no longer live. */
  synchronized FakeWorld dyingOnStart(String agent) {
    dying.add(agent);
    return this;
  }

  synchronized FakeWorld allowUnavailable(int n) {
    maxUnavailable = n;
    return this;
  }

  synchronized Versioned<Release> put(Release r) {
    Versioned<Release> v = new Versioned<>(r, ++index);
    releases.put(r.id(), v);
    return v;
  }

  synchronized Release release(String id) {
    return releases.get(id).value();
  }

  synchronized RoutePolicy route() {
    return route;
  }

  synchronized Map<String, Integer> readyCounts() {
    return observed().readyCounts();
  }

  private Observed observed() {
    return new Observed(agents, instances, route, System.currentTimeMillis(), metrics);
  }

  @Override
  public synchronized Future<Optional<Versioned<Release>>> load(String releaseId) {
    return Future.succeededFuture(Optional.ofNullable(releases.get(releaseId)));
  }

  @Override
  public synchronized Future<Versioned<Release>> save(Versioned<Release> current, Release next) {
    if (frozen) {
      return Future.failedFuture(new IllegalStateException("frozen: the registry is 'down'"));
    }
    Versioned<Release> now = releases.get(next.id());
    if (now == null || now.index() != current.index()) {
      return Future.failedFuture(new ConflictException(next.id()));
    }
    saves.incrementAndGet();
    return Future.succeededFuture(put(next));
  }

  @Override
  public Future<AppSpec> spec(String app) {
    return Future.succeededFuture(spec);
  }

  @Override
  public synchronized Future<Observed> observe(AppSpec spec) {
    observes.incrementAndGet();
    return Future.succeededFuture(observed());
  }

  @Override
  public Future<ArtifactRef> artifact(String app, String version) {
    return Future.succeededFuture(new ArtifactRef("http://registry/v1/artifacts/" + app + "/" + version, "0".repeat(64)));
  }

  @Override
  public synchronized Future<Instance> start(String agentId, StartInstanceRequest request) {
    if (frozen) {
      return Future.failedFuture(new IllegalStateException("frozen"));
    }
    starts.incrementAndGet();
    startLog.add(request.version() + "@" + agentId);
    startRequests.add(request);
    if (dying.remove(agentId)) {
      agents.remove(agentId);
      instances.removeIf(x -> x.agentId().equals(agentId));
      return Future.failedFuture(new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.TIMEOUT,
          "Timed out after waiting 60000(ms) for a reply. address: baton.agent." + agentId));
    }
    if (failingVersions.contains(request.version())) {
      return Future.failedFuture(new AgentRefusal(502, "health_failed", request.version() + " never passed /health"));
    }
    if (portsLinger && request.port() != null) {
      return Future.failedFuture(new AgentRefusal(409, AgentRefusal.PORT_IN_USE, "port " + request.port()
          + " is already in use"));
    }
    ObservedInstance i = instance(agentId, request.version(), request.port() == null ? port++ : request.port());
    if (instances.stream().anyMatch(x -> x.active() && x.agentId().equals(agentId) && x.port() == i.port())) {
      violations.add("port " + i.port() + " on " + agentId + " started twice");
    }
    instances.add(i);
    return Future.succeededFuture(i.instance());
  }

  @Override
  public synchronized Future<Void> stop(String agentId, String instanceId) {
    if (frozen) {
      return Future.failedFuture(new IllegalStateException("frozen"));
    }
    stops.incrementAndGet();
    instances.removeIf(i -> i.id().equals(instanceId));
    int ready = instances.stream().filter(ObservedInstance::ready).mapToInt(i -> 1).sum();
    if (ready < spec.instances() - maxUnavailable) {
      violations.add("capacity " + ready + " < " + spec.instances() + " - " + maxUnavailable + " after stopping " + instanceId);
    }
    checkRoute();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<RouteWrite> writeRoute(RoutePolicy policy) {
    if (frozen) {
      return Future.failedFuture(new IllegalStateException("frozen"));
    }
    routeWrites.incrementAndGet();
    route = policy.withRevision(route == null ? 1 : route.revision() + 1);
    routeHistory.add(route);
    checkRoute();
    return Future.succeededFuture(new RouteWrite(route, null));
  }

  @Override
  public void publish(BatonEvent event) {
    events.add(event);
  }

  private void checkRoute() {
    if (route == null) {
      return;
    }
    Map<String, Integer> ready = observed().readyCounts();
    route.split().stream().filter(w -> w.basisPoints() > 0 && !ready.containsKey(w.version()))
        .forEach(w -> violations.add("route sends " + w.weight() + "% to " + w.version() + " with no ready instance"));
  }

  private ObservedInstance instance(String agent, String version, int p) {
    String id = spec.name() + "-" + version + "-" + agent + "-" + p;
    return new ObservedInstance(agent, new Instance(id, spec.name(), version, p, 1000 + p, InstanceState.HEALTHY,
        Instant.now().toString(), null), true);
  }
}
