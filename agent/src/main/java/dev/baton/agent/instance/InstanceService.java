package dev.baton.agent.instance;

import dev.baton.common.http.ApiException;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.artifact.ArtifactStore;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.drain.DrainCoordinator;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.health.HealthGate;
import dev.baton.agent.isolation.InstanceFiles;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's operations, one implementation behind both the HTTP API and the event-bus commands: start,
 * stop (drain first), list, get, and waiting for an instance to become healthy or stopped. It routes each to
 * the instance's {@link InstanceSupervisor}, the one owner of that instance's state (docs/ARCHITECTURE.md,
 * Agent, "One supervisor per instance"); what it keeps itself is which instances exist. Every method runs on
 * the agent verticle's event loop; slow work (downloads, processes, files) is asynchronous underneath.
 */
public final class InstanceService {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);

  private final Vertx vertx;
  private final AgentSettings settings;
  private final PortAllocator ports;
  private final ArtifactStore artifacts;
  private final StateStore store;
  private final ConsulRegistrar registrar;
  private final Isolation isolation;
  private final Recovery recovery;
  private final SupervisorTools tools;
  /** In start order (a restart of an id moves it to the end), so the oldest records come first. */
  private final Map<String, InstanceSupervisor> supervisors = new LinkedHashMap<>();
  private boolean shuttingDown;

  /** Made on the agent's context, where every supervisor processes its inputs. */
  public InstanceService(Vertx vertx, AgentSettings settings, ArtifactStore artifacts, ProcessDriver driver,
                         HealthGate health, ConsulRegistrar registrar, DrainCoordinator drains, StateStore store,
                         EventPublisher events, Isolation isolation) {
    this.vertx = vertx;
    this.settings = settings;
    this.ports = new PortAllocator(vertx, settings.portRange());
    this.artifacts = artifacts;
    this.store = store;
    this.registrar = registrar;
    this.isolation = isolation;
    this.recovery = new Recovery(driver, registrar);
    Transitions transitions = new Transitions(new Backoff(settings.restartBackoffMs(), settings.restartBackoffMaxMs(),
        settings.restartMaxAttempts()), settings.restartResetMs());
    InstanceWork work = new InstanceWork(vertx, settings, isolation, driver, health, registrar, drains.timeoutMs());
    this.tools = new SupervisorTools(vertx, vertx.getOrCreateContext(), settings, transitions, work, driver,
        registrar, drains, store, events, new AgentMetrics(this::count), ports);
  }

  public List<Instance> list() {
    return supervisors.values().stream().map(InstanceSupervisor::instance).toList();
  }

  public Future<Instance> get(String id) {
    return supervisor(id).map(InstanceSupervisor::instance);
  }

  /** Its {@code instance.log} (docs/agent.md, "Logs"); a 404 for an instance this agent does not know. */
  public Future<Path> logOf(String id) {
    return supervisor(id).map(s -> settings.instanceDir(id).resolve(InstanceFiles.LOG_FILE));
  }

  /** Whether it has ended (STOPPED or FAILED: its process is gone) or is no longer known. */
  public Future<Boolean> ended(String id) {
    InstanceSupervisor s = supervisors.get(id);
    return Future.succeededFuture(s == null || s.instance().state().isTerminal());
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
          InstanceSupervisor supervisor = add(new InstanceRecord(instance, req, path.toString(), 0, false, 0));
          pruneEnded();
          // From here the supervisor owns the port: a failed launch ends it FAILED and releases the port.
          return supervisor.start();
        }));
  }

  /** Completes with the instance once it is healthy and registered, or fails with why it could not be. */
  public Future<Instance> awaitHealthy(String id) {
    return supervisor(id).compose(InstanceSupervisor::awaitHealthy);
  }

  /**
   * Begins stopping: the returned instance is DRAINING (or already STOPPED/FAILED, which is not an error: stop
   * is idempotent). {@link #awaitStopped} follows the rest: deregister, drain, SIGTERM, grace, SIGKILL.
   */
  public Future<Instance> stop(String id) {
    return supervisor(id).compose(InstanceSupervisor::stop);
  }

  public Future<Instance> awaitStopped(String id) {
    return supervisor(id).compose(InstanceSupervisor::awaitStopped);
  }

  /** Re-adopts the instances recorded by a previous run of this agent (see {@link Recovery}). */
  public Future<Void> recover() {
    return store.loadAll().compose(records -> registrar.ownInstanceIds().compose(inConsul -> {
      List<Future<Void>> adoptions = records.stream()
          .map(r -> {
            InstanceSupervisor supervisor = add(r);
            return recovery.find(r).compose(supervisor::adopt);
          })
          .toList();
      return Future.all(adoptions).compose(v -> recovery.removeStale(inConsul, supervisors.values().stream()
          .filter(InstanceSupervisor::keepsRegistration).map(InstanceSupervisor::id).collect(Collectors.toSet())));
    })).onSuccess(v -> pruneEnded());
  }

  /** Ids of the instances that are healthy and registered in Consul now: the ones {@link #reregisterMissing} may restore. */
  public Set<String> registeredHealthy() {
    return supervisors.values().stream().filter(InstanceSupervisor::servingRegistered).map(InstanceSupervisor::id)
        .collect(Collectors.toSet());
  }

  /**
   * Registers again each of {@code candidates} (from {@link #registeredHealthy} taken before Consul was asked)
   * that is missing from {@code present} (the ids the Consul agent listed) and still serving: a Consul agent that
   * restarted without its state (a {@code -dev} agent, a rebuilt node) forgets registrations, and the gateways
   * would lose a serving instance. Taking the candidates first keeps an instance registered while Consul was
   * being asked from being registered twice; one being stopped is left alone. Completes with the ids restored.
   * <p>
   * Consul also removes a registration whose check stayed critical for {@code DeregisterCriticalServiceAfter}
   * (a hung process), and the registration says passing; so each is the supervisor's {@code resync} command,
   * which probes the instance once and registers it again only if the probe passed (docs/ARCHITECTURE.md,
   * Agent: lost registrations are restored).
   */
  public Future<List<String>> reregisterMissing(Set<String> candidates, Set<String> present) {
    List<Future<String>> done = candidates.stream().filter(id -> !present.contains(id)).map(supervisors::get)
        .filter(s -> s != null && s.servingRegistered())
        .map(s -> s.resync().map(again -> again ? s.id() : null))
        .toList();
    return Future.all(done).map(all -> all.<String>list().stream().filter(id -> id != null).toList());
  }

  /**
   * Forgets STOPPED and FAILED records beyond the newest {@code BATON_KEEP_STOPPED} (as Nomad collects dead
   * allocations): they leave the list, and their state file and working directory (with the log) are
   * deleted. Runs when an instance starts and after recovery, which is when the list grows.
   */
  void pruneEnded() {
    for (String id : ended(list(), settings.keepStopped())) {
      supervisors.remove(id);
      Path dir = settings.instanceDir(id);
      store.delete(id)
          .compose(v -> vertx.executeBlocking(() -> {
            deleteTree(dir);
            return null;
          }))
          .onFailure(e -> LOG.warn("cannot delete the record or directory of {}: {}", id, e.toString()));
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

  private InstanceSupervisor add(InstanceRecord record) {
    InstanceSupervisor supervisor = new InstanceSupervisor(tools, record);
    supervisors.remove(record.id());
    supervisors.put(record.id(), supervisor);
    return supervisor;
  }

  private Future<InstanceSupervisor> supervisor(String id) {
    InstanceSupervisor supervisor = supervisors.get(id);
    return supervisor == null
        ? Future.failedFuture(ApiException.notFound("No instance '" + id + "' on this agent; GET /v1/instances lists them."))
        : Future.succeededFuture(supervisor);
  }

  /**
   * Stops taking commands and waits (at most {@code maxMs}) for stops in progress to finish. Running
   * instances are left running: they are the service, and the next agent run re-adopts them.
   */
  public Future<Void> shutdown(long maxMs) {
    shuttingDown = true;
    List<Future<Instance>> inFlight = supervisors.values().stream().map(InstanceSupervisor::quiesce).toList();
    return Future.join(inFlight).mapEmpty().timeout(maxMs, TimeUnit.MILLISECONDS).recover(e -> Future.succeededFuture())
        .mapEmpty();
  }

  private int count(InstanceState state) {
    return (int) supervisors.values().stream().filter(s -> s.instance().state() == state).count();
  }
}
