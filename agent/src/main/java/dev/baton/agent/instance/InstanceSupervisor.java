package dev.baton.agent.instance;

import dev.baton.agent.drain.StopPlanner;
import dev.baton.agent.isolation.InstanceFiles;
import dev.baton.agent.logs.InstanceLog;
import dev.baton.agent.process.RunningProcess;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of an instance's state: its record, process, epoch, restart backoff, registration and stop
 * (docs/ARCHITECTURE.md, Agent, "One supervisor per instance"). Everything reaches it as an {@link Input} in a
 * mailbox drained one input at a time on the agent's context; {@link Transitions} decides, this class applies
 * the actions. Work it starts reports back as an input tagged with the epoch it was started in, and an input of
 * a past epoch is dropped in {@link #receive} (a process launched for a stopped instance is killed there).
 */
final class InstanceSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceSupervisor.class);
  /** How much of its log a failed start quotes: the last lines, from at most the last bytes. */
  static final int QUOTED_LINES = 20;
  static final int QUOTED_BYTES = 2048;
  /** Commands apply to whatever epoch is current. */
  private static final int ANY_EPOCH = -1;

  private record Envelope(int epoch, Input input, Promise<Void> done) {
  }

  private final SupervisorTools tools;
  private final Mailbox<Envelope> mailbox;
  private final Promise<Instance> launched = Promise.promise();
  private final Promise<Instance> ready = Promise.promise();
  private final Promise<Instance> ended = Promise.promise();
  private Transitions.State state = Transitions.State.initial();
  private InstanceRecord record;
  private RunningProcess process;
  private Future<Void> exited;
  private int epoch;
  private long restartTimer = -1;
  private long healthySinceMs;
  private boolean quiesced;
  private String failReason;
  private ApiException refusal;
  private Promise<Boolean> resyncReply;

  InstanceSupervisor(SupervisorTools tools, InstanceRecord record) {
    this.tools = tools;
    this.record = record;
    this.mailbox = new Mailbox<>(tools.context(), this::receive);
    // Nobody may ever wait on these; keep an unobserved failure from being logged as unhandled.
    ready.future().onFailure(e -> { });
    launched.future().onFailure(e -> { });
  }

  Instance instance() {
    return record.instance();
  }

  String id() {
    return record.id();
  }

  Phase phase() {
    return state.phase();
  }

  /** Healthy and registered: an instance whose lost registration a resync may restore. */
  boolean servingRegistered() {
    return state.phase() == Phase.HEALTHY && record.registered();
  }

  /** Adopted alive with a registration it keeps (recovery removes every other registration of this agent). */
  boolean keepsRegistration() {
    return process != null && record.registered() && record.state() == InstanceState.HEALTHY;
  }

  /** Launches it: completes once the process runs (STARTING), fails with the refusal when it could not. */
  Future<Instance> start() {
    return post(ANY_EPOCH, new Input.Start()).compose(v -> launched.future());
  }

  /** Takes it over after an agent restart; {@code found} null when its process is gone (then it ends FAILED). */
  Future<Void> adopt(RunningProcess found) {
    var adopt = new Input.Adopt(record.state(), record.instance().pid(), found);
    return post(ANY_EPOCH, adopt).compose(v -> phase() == Phase.FAILING ? ended.future().mapEmpty()
        : Future.succeededFuture());
  }

  /** Begins stopping (idempotent): completes with the instance, DRAINING or already ended. */
  Future<Instance> stop() {
    return post(ANY_EPOCH, new Input.Stop()).map(v -> instance());
  }

  Future<Instance> awaitHealthy() {
    return ready.future();
  }

  /** The instance once a stop (or failure) in progress ended; at once when none is. */
  Future<Instance> awaitStopped() {
    return phase().ending() ? ended.future() : Future.succeededFuture(instance());
  }

  /** Its registration is missing from Consul: true once registered again after a passing probe. */
  Future<Boolean> resync() {
    return post(ANY_EPOCH, new Input.Resync())
        .compose(v -> resyncReply == null ? Future.succeededFuture(false) : resyncReply.future());
  }

  /** The agent stops: no restart from now on; completes when a stop in progress ended. */
  Future<Instance> quiesce() {
    return post(ANY_EPOCH, new Input.Shutdown()).compose(v -> awaitStopped());
  }

  private Future<Void> post(int inEpoch, Input input) {
    Promise<Void> done = Promise.promise();
    mailbox.post(new Envelope(inEpoch, input, done));
    return done.future();
  }

  private void receive(Envelope envelope) {
    Input input = envelope.input();
    try {
      if (envelope.epoch() != ANY_EPOCH && envelope.epoch() != epoch) {
        if (input instanceof Input.Launched l) {
          tools.driver().kill(l.process()); // launched for an instance stopped meanwhile
        }
        LOG.debug("{}: dropped {} of epoch {} (now {})", id(), input, envelope.epoch(), epoch);
      } else {
        Transitions.State before = state;
        long healthyFor = System.currentTimeMillis() - healthySinceMs;
        Transitions.Step step = tools.transitions().next(state, record.registered(), healthyFor, input);
        state = step.state();
        for (Action action : step.actions()) {
          apply(action, step, before, input);
        }
        if (!state.probing()) {
          settleResync(false);
        }
      }
      envelope.done().tryComplete();
    } catch (RuntimeException e) {
      LOG.error("{}: applying {} failed", id(), input, e);
      envelope.done().tryFail(e);
    }
  }

  private void apply(Action action, Transitions.Step step, Transitions.State before, Input input) {
    switch (action) {
      case NEW_EPOCH -> {
        epoch++;
        cancelRestart();
        settleResync(false);
      }
      case LAUNCH -> await(tools.work().launch(record));
      case RECORD_LAUNCH -> recordLaunch((Input.Launched) input);
      case ADOPT_PROCESS -> adoptProcess(((Input.Adopt) input).process());
      case GATE -> gate();
      case REGISTER -> register();
      case MARK_HEALTHY -> markHealthy();
      case REPORT_CRASH -> {
        tools.metrics().crashed();
        tools.events().instance("instance.crashed", instance(), step.message());
      }
      case CLEAR -> await(retire().map(new Input.Cleared()));
      case SCHEDULE_RESTART -> scheduleRestart(step);
      case QUIESCE -> {
        quiesced = true;
        cancelRestart();
      }
      case STOP -> stopSequence(before.phase() == Phase.REGISTERING);
      case END_STOPPED -> end(InstanceState.STOPPED, step.message(), "instance.stopped");
      case FAIL -> fail(step.message(), input);
      case END_FAILED -> endFailed(((Input.FailDone) input).logLines());
      case PROBE -> {
        resyncReply = Promise.promise();
        await(tools.work().probe(record));
      }
      case REREGISTER -> await(tools.work().reregister(record));
      case REPORT_UNHEALTHY -> tools.events().instance("instance.unhealthy", instance(), "missing from the Consul "
          + "agent and not registered again: " + step.message() + "; probing again every "
          + tools.settings().resyncMs() + " ms");
      case REPORT_RESTORED -> {
        String earlier = before.lostReported() ? "it had failed its probe, now " : "";
        tools.events().instance("instance.registered", instance(), "registered again in Consul as " + id()
            + " (missing from the Consul agent; " + earlier + record.request().healthPath() + " passed)");
        settleResync(true);
      }
      case RESYNC_ERROR -> {
        if (resyncReply != null) {
          resyncReply.fail(((Input.ReRegisterFailed) input).cause());
          resyncReply = null;
        }
      }
    }
  }

  /** Posts the outcome of work started now, tagged with the current epoch. */
  private void await(Future<Input> outcome) {
    int startedIn = epoch;
    outcome.onSuccess(input -> post(startedIn, input))
        .onFailure(e -> LOG.error("{}: work of epoch {} failed unexpectedly", id(), startedIn, e));
  }

  private void recordLaunch(Input.Launched l) {
    process = l.process();
    exited = tools.driver().exited(process);
    tools.metrics().started();
    update(record.withProcess(process.pid(), process.startMs())
        .withState(InstanceState.STARTING, "waiting for " + record.request().healthPath() + " to pass"));
    tools.events().instance("instance.starting", instance(), "pid " + process.pid() + ", log " + l.logFile());
    launched.tryComplete(instance());
  }

  private void adoptProcess(RunningProcess found) {
    process = found;
    exited = tools.driver().exited(found);
    tools.ports().adopt(record.port());
    tools.events().instance("instance.adopted", instance(), "pid " + found.pid() + " still running; adopted in state "
        + record.state());
  }

  /** Watches the current process: its exit, and the health gate (which the exit or a new epoch ends early). */
  private void gate() {
    int gateEpoch = epoch;
    await(tools.work().exit(process, exited));
    await(tools.work().gate(record, exited, () -> epoch != gateEpoch));
  }

  private void register() {
    var req = record.request();
    tools.events().instance("instance.healthy", instance(), req.healthPath() + " passed, version " + req.version());
    await(tools.work().register(record));
  }

  private void markHealthy() {
    healthySinceMs = System.currentTimeMillis();
    update(record.withRegistered(true).withState(InstanceState.HEALTHY, "healthy and registered in Consul"));
    tools.events().instance("instance.registered", instance(), "registered in Consul as " + id());
    ready.tryComplete(instance());
  }

  /** Out of Consul (when registered), then the process killed: after a crash, and to end as FAILED. */
  private Future<Void> retire() {
    Future<Void> out = record.registered() ? deregister().recover(e -> Future.succeededFuture())
        : Future.succeededFuture();
    RunningProcess victim = process;
    Future<Void> victimExited = exited;
    process = null;
    return out.compose(v -> tools.work().kill(victim, victimExited));
  }

  private void scheduleRestart(Transitions.Step step) {
    tools.metrics().restarting();
    update(record.withProcess(0, 0).withRestarts(record.restarts() + 1)
        .withState(InstanceState.STARTING, step.message()));
    tools.events().instance("instance.restarting", instance(), step.message());
    if (!quiesced) {
      Promise<Input> due = Promise.promise();
      await(due.future());
      restartTimer = tools.vertx().setTimer(step.delayMs(), t -> {
        restartTimer = -1;
        due.complete(new Input.RestartDue());
      });
    }
  }

  /** Deregister (when it may be registered), drain, SIGTERM, grace, SIGKILL (docs/ARCHITECTURE.md, Agent, "Drain"). */
  private void stopSequence(boolean wasRegistering) {
    ready.tryFail(new ApiException(409, "stopped", id() + " was stopped before it became healthy"));
    update(record.withState(InstanceState.DRAINING, "stopping"));
    launched.tryComplete(instance());
    var plan = StopPlanner.plan(record.registered() || wasRegistering, process != null);
    var actions = new InstanceStopActions(tools, this::instance, process, exited, this::deregister,
        text -> update(record.withState(InstanceState.DRAINING, text)));
    await(tools.work().stop(plan, actions));
  }

  private void fail(String reason, Input cause) {
    failReason = reason;
    if (cause instanceof Input.LaunchRefused r) {
      refusal = r.refusal();
    }
    // A process that ran and did not come up explains itself in its log (docs/agent.md, "Logs"); read once it is gone.
    boolean ran = cause instanceof Input.Exited || cause instanceof Input.HealthFailed || cause instanceof Input.Cleared;
    await(retire().compose(v -> ran ? InstanceLog.lastLines(tools.vertx(), logFile(), QUOTED_LINES, QUOTED_BYTES)
        : Future.succeededFuture(List.<String>of())).map(Input.FailDone::new));
  }

  private java.nio.file.Path logFile() {
    return tools.settings().instanceDir(id()).resolve(InstanceFiles.LOG_FILE);
  }

  private void endFailed(List<String> logLines) {
    tools.metrics().failed();
    if (!logLines.isEmpty()) {
      failReason = failReason + "; last " + logLines.size() + " line(s) of " + InstanceFiles.LOG_FILE + ":\n"
          + String.join("\n", logLines);
    }
    end(InstanceState.FAILED, failReason, "instance.failed");
    ApiException failed = new ApiException(502, "instance_failed", id() + " failed: " + failReason);
    ready.tryFail(failed);
    launched.tryFail(refusal != null ? refusal : failed);
  }

  private void end(InstanceState last, String message, String kind) {
    process = null;
    update(record.withState(last, message));
    tools.events().instance(kind, instance(), message);
    tools.ports().release(record.port());
    ended.tryComplete(instance());
  }

  private Future<Void> deregister() {
    return tools.registrar().deregister(id())
        .onSuccess(v -> {
          update(record.withRegistered(false));
          tools.events().instance("instance.deregistered", instance(), "removed from Consul");
        })
        .onFailure(e -> LOG.warn("cannot deregister {}: {}", id(), e.getMessage()));
  }

  /** Replaces the record and persists it (writes are ordered; a failed one is logged and the agent goes on). */
  private void update(InstanceRecord next) {
    record = next;
    tools.store().save(next).onFailure(e -> LOG.warn("cannot persist {}: {}", next.id(), e.toString()));
  }

  private void cancelRestart() {
    if (restartTimer >= 0) {
      tools.vertx().cancelTimer(restartTimer);
      restartTimer = -1;
    }
  }

  private void settleResync(boolean registeredAgain) {
    if (resyncReply != null) {
      resyncReply.tryComplete(registeredAgain);
      resyncReply = null;
    }
  }
}
