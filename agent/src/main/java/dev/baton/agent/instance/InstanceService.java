package dev.baton.agent.instance;

import dev.baton.common.http.ApiException;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.artifact.ArtifactStore;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.drain.DrainCoordinator;
import dev.baton.agent.drain.StopPlanner;
import dev.baton.agent.drain.Stopper;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.health.HealthGate;
import dev.baton.agent.isolation.Isolation;
import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.agent.port.PortAllocator;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.state.StateStore;
import dev.baton.common.consul.ServiceNames;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's operations, one implementation behind both the HTTP API and the event-bus commands: start,
 * stop (drain first), list, get, and waiting for an instance to become healthy or stopped. Every method runs
 * on the agent verticle's event loop; slow work (downloads, processes, files) is asynchronous underneath.
 */
public final class InstanceService {

  private final Vertx vertx;
  private final AgentSettings settings;
  private final PortAllocator ports;
  private final ArtifactStore artifacts;
  private final ProcessDriver driver;
  private final DrainCoordinator drains;
  private final EventPublisher events;
  private final AgentMetrics metrics;
  private final Lifecycle lifecycle;
  private final Stopper stopper;
  private final StateStore store;
  private final ConsulRegistrar registrar;
  private final Isolation isolation;
  private final HealthGate health;
  /** In start order (a restart of an id moves it to the end), so the oldest records come first. */
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private boolean shuttingDown;

  public InstanceService(Vertx vertx, AgentSettings settings, ArtifactStore artifacts, ProcessDriver driver,
                         HealthGate health, ConsulRegistrar registrar, DrainCoordinator drains, StateStore store,
                         EventPublisher events, Isolation isolation) {
    this.vertx = vertx;
    this.settings = settings;
    this.ports = new PortAllocator(vertx, settings.portRange());
    this.artifacts = artifacts;
    this.driver = driver;
    this.drains = drains;
    this.events = events;
    this.metrics = new AgentMetrics(this::count);
    this.lifecycle = new Lifecycle(vertx, settings, driver, health, registrar, store, events, metrics, ports,
        isolation);
    this.stopper = new Stopper(settings.stopGraceMs());
    this.store = store;
    this.registrar = registrar;
    this.isolation = isolation;
    this.health = health;
  }

  public List<Instance> list() {
    return slots.values().stream().map(Slot::instance).toList();
  }

  public Future<Instance> get(String id) {
    Slot slot = slots.get(id);
    return slot == null ? Future.failedFuture(ApiException.notFound("No instance '" + id + "' on this agent; GET /v1/instances lists them.")) : Future.succeededFuture(slot.instance());
  }

  /**
   * Checks the request's runAs and limits against this host, claims a port, fetches and verifies the artifact,
   * and launches the process: the returned instance is STARTING. Nothing is launched when any of that fails
   * (refused user or limits, bad port, sha256 mismatch, download error); from the launch on, a failure leaves
   * the instance FAILED with the reason (a cached artifact that no longer matches its sha256 among them).
   */
  public Future<Instance> start(StartInstanceRequest req) {
    if (shuttingDown) {
      return Future.failedFuture(new ApiException(503, "shutting_down", "this agent is stopping; retry on another agent or after it restarted."));
    }
    return isolation.confine(req).compose(confinement -> ports.claim(req.port())).compose(port -> artifacts
        .fetch(req.artifact())
        .onFailure(e -> ports.release(port))
        .compose(path -> {
          String id = ServiceNames.instanceId(req.app(), req.version(), settings.agentId(), port);
          Instance instance = new Instance(id, req.app(), req.version(), port, 0, InstanceState.STARTING,
              Instant.now().toString(), "launching");
          Slot slot = new Slot(new InstanceRecord(instance, req, path.toString(), 0, false, 0));
          slots.remove(id);
          slots.put(id, slot);
          pruneEnded();
          // From here the slot owns the port: a failed launch ends it FAILED and releases the port.
          return lifecycle.launch(slot).map(v -> slot.instance());
        }));
  }

  /** Completes with the instance once it is healthy and registered, or fails with why it could not be. */
  public Future<Instance> awaitHealthy(String id) {
    Slot slot = slots.get(id);
    return slot == null ? Future.failedFuture(ApiException.notFound("No instance '" + id + "' on this agent; GET /v1/instances lists them.")) : slot.ready.future();
  }

  /**
   * Begins stopping: the returned instance is DRAINING (or already STOPPED/FAILED, which is not an error: stop
   * is idempotent). {@link #awaitStopped} follows the rest: deregister, drain, SIGTERM, grace, SIGKILL.
   */
  public Future<Instance> stop(String id) {
    Slot slot = slots.get(id);
    if (slot == null) {
      return Future.failedFuture(ApiException.notFound("No instance '" + id + "' on this agent; GET /v1/instances lists them."));
    }
    if (slot.stopping == null && !slot.record.state().isTerminal()) {
      slot.stopping = stopSequence(slot);
    }
    return Future.succeededFuture(slot.instance());
  }

  public Future<Instance> awaitStopped(String id) {
    Slot slot = slots.get(id);
    if (slot == null) {
      return Future.failedFuture(ApiException.notFound("No instance '" + id + "' on this agent; GET /v1/instances lists them."));
    }
    return slot.stopping == null ? Future.succeededFuture(slot.instance()) : slot.stopping;
  }

  Future<Instance> stopSequence(Slot slot) {
    slot.terminating = true;
    slot.generation++;
    if (slot.restartTimer >= 0) {
      vertx.cancelTimer(slot.restartTimer);
      slot.restartTimer = -1;
    }
    slot.ready.tryFail(new ApiException(409, "stopped", slot.record.id() + " was stopped before it became healthy"));
    lifecycle.update(slot, slot.record.withState(InstanceState.DRAINING, "stopping"));
    var plan = StopPlanner.plan(slot.record.registered(), slot.process != null);
    var actions = new SlotStopActions(slot, vertx, settings, lifecycle, drains, driver, events, metrics);
    return stopper.apply(plan, actions).transform(ar -> {
      String message;
      if (ar.failed()) {
        message = "stop failed: " + ar.cause().getMessage();
      } else {
        Stopper.Report report = ar.result();
        message = "stopped" + (report.drain() == null ? "" : "; " + report.drain().describe(drains.timeoutMs()))
            + (report.killed() ? "; needed SIGKILL after " + settings.stopGraceMs() + " ms" : "")
            + (report.problem() == null ? "" : "; " + report.problem());
      }
      slot.process = null;
      lifecycle.update(slot, slot.record.withState(InstanceState.STOPPED, message));
      events.instance("instance.stopped", slot.instance(), message);
      ports.release(slot.record.port());
      return Future.succeededFuture(slot.instance());
    });
  }

  /** Re-adopts the instances recorded by a previous run of this agent (see {@link Recovery}). */
  public Future<Void> recover() {
    return new Recovery(this, lifecycle, driver, registrar, ports, events).run(store).onSuccess(v -> pruneEnded());
  }

  /** Ids of the instances that are healthy and registered in Consul now: the ones {@link #reregisterMissing} may restore. */
  public Set<String> registeredHealthy() {
    return slots.values().stream().filter(InstanceService::servingRegistered).map(s -> s.record.id())
        .collect(Collectors.toSet());
  }

  private static boolean servingRegistered(Slot s) {
    return s.record.state() == InstanceState.HEALTHY && s.record.registered() && !s.terminating && s.stopping == null;
  }

  /**
   * Registers again each of {@code candidates} (from {@link #registeredHealthy} taken before Consul was asked)
   * that is missing from {@code present} (the ids the Consul agent listed) and still serving: a Consul agent that
   * restarted without its state (a {@code -dev} agent, a rebuilt node) forgets registrations, and the gateways
   * would lose a serving instance. Taking the candidates first keeps an instance registered while Consul was
   * being asked from being registered twice; one being stopped is left alone. Completes with the ids restored.
   * <p>
   * Consul also removes a registration whose check stayed critical for {@code DeregisterCriticalServiceAfter}
   * (a hung process), and the registration says passing; so the agent probes the instance once first and only
   * a passing probe registers it again. A failing one is reported once per episode ({@code instance.unhealthy})
   * and the next pass probes again (docs/ARCHITECTURE.md, Agent: lost registrations are restored).
   */
  public Future<List<String>> reregisterMissing(Set<String> candidates, Set<String> present) {
    List<Slot> missing = candidates.stream().filter(id -> !present.contains(id)).map(slots::get)
        .filter(s -> s != null && servingRegistered(s)).toList();
    List<Future<String>> done = missing.stream().map(this::restore).toList();
    return Future.all(done).map(all -> all.<String>list().stream().filter(id -> id != null).toList());
  }

  /** Probes a lost instance and registers it again if it passed: completes with its id, or null if it did not. */
  private Future<String> restore(Slot slot) {
    int gen = slot.generation;
    var req = slot.record.request();
    return health.check(settings.advertiseHost(), slot.record.port(), req.healthPath(), req.version())
        .transform(probe -> {
          if (slot.generation != gen || !servingRegistered(slot)) {
            return Future.succeededFuture(null); // stopped or restarted meanwhile: not ours to register
          }
          if (probe.failed()) {
            if (slot.lostUnhealthyGen != gen) {
              slot.lostUnhealthyGen = gen;
              events.instance("instance.unhealthy", slot.instance(), "missing from the Consul agent and not "
                  + "registered again: " + probe.cause().getMessage() + "; probing again every "
                  + settings.resyncMs() + " ms");
            }
            return Future.succeededFuture(null);
          }
          return registrar.registerInstance(slot.record).map(v -> {
            String before = slot.lostUnhealthyGen == gen ? "it had failed its probe, now " : "";
            slot.lostUnhealthyGen = -1;
            events.instance("instance.registered", slot.instance(), "registered again in Consul as "
                + slot.record.id() + " (missing from the Consul agent; " + before + req.healthPath() + " passed)");
            return slot.record.id();
          });
        });
  }

  /**
   * Forgets STOPPED and FAILED records beyond the newest {@code BATON_KEEP_STOPPED} (as Nomad collects dead
   * allocations): they leave the list, and their state file and working directory (with the log) are
   * deleted. Runs when an instance starts and after recovery, which is when the list grows.
   */
  void pruneEnded() {
    for (String id : ended(slots.values().stream().map(Slot::instance).toList(), settings.keepStopped())) {
      slots.remove(id);
      Path dir = settings.instanceDir(id);
      store.delete(id)
          .compose(v -> vertx.executeBlocking(() -> {
            deleteTree(dir);
            return null;
          }))
          .onFailure(e -> System.err.println("agent: cannot delete the record or directory of " + id + ": " + e));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The ids of ended instances to forget: all but the newest {@code keep} of them ({@code instances} oldest first). */
  static List<String> ended(List<Instance> instances, int keep) {
    List<String> ended = instances.stream().filter(i -> i.state().isTerminal()).map(Instance::id).toList();
    return ended.subList(0, Math.max(0, ended.size() - keep));
  }

  void put(Slot slot) {
    slots.put(slot.record.id(), slot);
  }

  Map<String, Slot> slots() {
    return slots;
  }

  /**
   * Stops taking commands and waits (at most {@code maxMs}) for stops in progress to finish. Running
   * instances are left running: they are the service, and the next agent run re-adopts them.
   */
  public Future<Void> shutdown(long maxMs) {
    shuttingDown = true;
    slots.values().forEach(slot -> {
      if (slot.restartTimer >= 0) {
        vertx.cancelTimer(slot.restartTimer);
      }
    });
    List<Future<Instance>> inFlight = slots.values().stream().filter(s -> s.stopping != null)
        .map(s -> s.stopping).toList();
    return Future.join(inFlight).mapEmpty().timeout(maxMs, TimeUnit.MILLISECONDS).recover(e -> Future.succeededFuture())
        .mapEmpty();
  }

  private int count(InstanceState state) {
    return (int) slots.values().stream().filter(s -> s.record.state() == state).count();
  }
}
