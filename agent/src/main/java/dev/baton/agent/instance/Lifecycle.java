package dev.baton.agent.instance;

import dev.baton.common.http.ApiException;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.health.HealthGate;
import dev.baton.agent.isolation.Isolation;
import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.agent.port.PortAllocator;
import dev.baton.agent.process.Argv;
import dev.baton.agent.process.LaunchSpec;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.process.RunningProcess;
import dev.baton.agent.state.StateStore;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Runs an instance from launch to HEALTHY and keeps it there: launch, health gate, Consul registration, and,
 * when a healthy instance's process exits on its own, immediate deregistration and a restart with exponential
 * backoff. A first start that fails is FAILED (no restart: a version that cannot start must fail its release),
 * and so is an instance whose restarts keep failing past the backoff's limit. Every launch, restarts included,
 * goes through {@link Isolation}: the user and limits are checked and the artifact's sha256 verified again.
 */
final class Lifecycle {

  private final Vertx vertx;
  private final AgentSettings settings;
  private final ProcessDriver driver;
  private final HealthGate health;
  private final ConsulRegistrar registrar;
  private final StateStore store;
  private final EventPublisher events;
  private final AgentMetrics metrics;
  private final PortAllocator ports;
  private final Isolation isolation;
  private final Backoff backoff;

  Lifecycle(Vertx vertx, AgentSettings settings, ProcessDriver driver, HealthGate health, ConsulRegistrar registrar,
            StateStore store, EventPublisher events, AgentMetrics metrics, PortAllocator ports, Isolation isolation) {
    this.vertx = vertx;
    this.settings = settings;
    this.driver = driver;
    this.health = health;
    this.registrar = registrar;
    this.store = store;
    this.events = events;
    this.metrics = metrics;
    this.ports = ports;
    this.isolation = isolation;
    this.backoff = new Backoff(settings.restartBackoffMs(), settings.restartBackoffMaxMs(),
        settings.restartMaxAttempts());
  }

  /** Replaces the slot's record and persists it (ordered; a failed write is logged, the agent goes on). */
  void update(Slot slot, InstanceRecord record) {
    slot.record = record;
    store.save(record).onFailure(e -> System.err.println("agent: cannot persist " + record.id() + ": " + e));
  }

  /**
   * Starts the slot's process and supervises it; fails when the process cannot even be started: a 422 when its
   * user, limits or artifact are refused (the cached artifact no longer matching its sha256 among them), a 500
   * when the program cannot be run.
   */
  Future<Void> launch(Slot slot) {
    InstanceRecord r = slot.record;
    StartInstanceRequest req = r.request();
    int gen = ++slot.generation;
    return isolation.confine(req).compose(confinement -> isolation.prepare(settings.instanceDir(r.id()),
            Path.of(r.artifactPath()), req.artifact().sha256(), confinement)
        .map(files -> new LaunchSpec(confinement.wrap(Argv.render(req.command(), files.artifact().toString(), r.port())),
            Argv.environment(System.getenv(), settings.instanceEnvAllow(), confinement.identityEnv(), req.env(),
                r.port(), r.id()), files.workDir(), files.logFile())))
        .compose(spec -> driver.launch(spec)
            .recover(e -> Future.failedFuture(new ApiException(500, "launch_failed", "cannot launch " + spec.argv()
                + ": " + e.getMessage() + "; check the command and that its program is installed.")))
            .map(process -> started(slot, gen, spec, process)))
        .recover(e -> {
          ApiException refusal = e instanceof ApiException a ? a
              : new ApiException(500, "launch_failed", "cannot prepare the launch of " + r.id() + ": " + e.getMessage());
          if (slot.generation != gen || slot.terminating) {
            return Future.failedFuture(refusal); // stopped meanwhile: the stop owns the slot's end
          }
          return fail(slot, refusal.getMessage()).compose(v -> Future.failedFuture(refusal));
        });
  }

  private Void started(Slot slot, int gen, LaunchSpec spec, RunningProcess process) {
    if (slot.generation != gen || slot.terminating) {
      driver.kill(process);
      return null;
    }
    slot.process = process;
    slot.exited = driver.exited(process);
    metrics.started();
    update(slot, slot.record.withProcess(process.pid(), process.startMs())
        .withState(InstanceState.STARTING, "waiting for " + slot.record.request().healthPath() + " to pass"));
    events.instance("instance.starting", slot.instance(), "pid " + process.pid() + ", log " + spec.logFile());
    supervise(slot, gen);
    return null;
  }

  /** Watches the slot's current process: health gate then registration; exit of a healthy one is a crash. */
  void supervise(Slot slot, int gen) {
    slot.exited.onComplete(v -> onExit(slot, gen));
    var req = slot.record.request();
    health.await(settings.advertiseHost(), slot.record.port(), req.healthPath(), req.version(), slot.exited,
            () -> slot.generation != gen || slot.terminating)
        .compose(v -> {
          if (slot.generation != gen || slot.terminating) {
            return Future.succeededFuture(false);
          }
          events.instance("instance.healthy", slot.instance(), req.healthPath() + " passed, version " + req.version());
          return registrar.registerInstance(slot.record).map(true);
        })
        .onSuccess(current -> {
          if (current && slot.generation == gen && !slot.terminating) {
            registered(slot);
          }
        })
        .onFailure(e -> {
          if (slot.generation == gen && !slot.terminating) {
            unhealthy(slot, e.getMessage());
          }
        });
  }

  /** A live, healthy, registered instance (also used for one adopted after an agent restart). */
  void registered(Slot slot) {
    slot.healthySinceMs = System.currentTimeMillis();
    update(slot, slot.record.withRegistered(true).withState(InstanceState.HEALTHY, "healthy and registered in Consul"));
    events.instance("instance.registered", slot.instance(), "registered in Consul as " + slot.record.id());
    slot.ready.tryComplete(slot.instance());
  }

  private void unhealthy(Slot slot, String reason) {
    if (slot.crashStreak == 0) {
      fail(slot, reason);
      return;
    }
    // A restart after a crash that did not come up counts as one more crash in the streak.
    killCurrent(slot).onComplete(v -> {
      slot.crashStreak++;
      scheduleRestart(slot, reason);
    });
  }

  private void onExit(Slot slot, int gen) {
    if (slot.generation != gen || slot.terminating || slot.record.state() != InstanceState.HEALTHY) {
      return;
    }
    // A new generation: the health gate of the dead process (after adoption) must not also react to this exit.
    slot.generation++;
    String how = slot.process == null ? "exited" : slot.process.describeExit();
    slot.process = null;
    metrics.crashed();
    events.instance("instance.crashed", slot.instance(), how + " while healthy");
    Future<Void> deregistered = slot.record.registered() ? deregister(slot) : Future.succeededFuture();
    deregistered.onComplete(v -> {
      if (System.currentTimeMillis() - slot.healthySinceMs >= settings.restartResetMs()) {
        slot.crashStreak = 0;
      }
      slot.crashStreak++;
      scheduleRestart(slot, how);
    });
  }

  Future<Void> deregister(Slot slot) {
    return registrar.deregister(slot.record.id())
        .onSuccess(v -> {
          update(slot, slot.record.withRegistered(false));
          events.instance("instance.deregistered", slot.instance(), "removed from Consul");
        })
        .onFailure(e -> System.err.println("agent: cannot deregister " + slot.record.id() + ": " + e.getMessage()));
  }

  private void scheduleRestart(Slot slot, String reason) {
    if (slot.terminating) {
      return;
    }
    int attempt = slot.crashStreak;
    if (backoff.exhausted(attempt)) {
      fail(slot, "gave up after " + (attempt - 1) + " restarts in a row; last: " + reason);
      return;
    }
    long delay = backoff.delayMs(attempt);
    metrics.restarting();
    update(slot, slot.record.withProcess(0, 0).withRestarts(slot.record.restarts() + 1)
        .withState(InstanceState.STARTING, "restarting in " + delay + " ms (attempt " + attempt + ") after: " + reason));
    events.instance("instance.restarting", slot.instance(), slot.instance().message());
    slot.restartTimer = vertx.setTimer(delay, t -> {
      slot.restartTimer = -1;
      if (!slot.terminating) {
        launch(slot).onFailure(e -> { });
      }
    });
  }

  /** Ends the slot as FAILED: out of Consul, process killed, port released; the reason is the message. */
  Future<Void> fail(Slot slot, String reason) {
    slot.terminating = true;
    slot.generation++;
    Future<Void> out = slot.record.registered() ? deregister(slot).recover(e -> Future.succeededFuture())
        : Future.succeededFuture();
    return out.compose(v -> killCurrent(slot)).map(v -> {
      metrics.failed();
      update(slot, slot.record.withState(InstanceState.FAILED, reason));
      events.instance("instance.failed", slot.instance(), reason);
      ports.release(slot.record.port());
      slot.ready.tryFail(new ApiException(502, "instance_failed", slot.record.id() + " failed: " + reason));
      return null;
    });
  }

  private Future<Void> killCurrent(Slot slot) {
    if (slot.process == null) {
      return Future.succeededFuture();
    }
    driver.kill(slot.process);
    Future<Void> exited = slot.exited;
    slot.process = null;
    return Future.any(exited, vertx.timer(10_000)).mapEmpty();
  }
}
