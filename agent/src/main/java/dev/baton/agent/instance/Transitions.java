package dev.baton.agent.instance;

import static dev.baton.agent.instance.Action.ADOPT_PROCESS;
import static dev.baton.agent.instance.Action.CLEAR;
import static dev.baton.agent.instance.Action.END_FAILED;
import static dev.baton.agent.instance.Action.END_STOPPED;
import static dev.baton.agent.instance.Action.FAIL;
import static dev.baton.agent.instance.Action.GATE;
import static dev.baton.agent.instance.Action.LAUNCH;
import static dev.baton.agent.instance.Action.MARK_HEALTHY;
import static dev.baton.agent.instance.Action.NEW_EPOCH;
import static dev.baton.agent.instance.Action.PROBE;
import static dev.baton.agent.instance.Action.QUIESCE;
import static dev.baton.agent.instance.Action.RECORD_LAUNCH;
import static dev.baton.agent.instance.Action.REGISTER;
import static dev.baton.agent.instance.Action.REPORT_CRASH;
import static dev.baton.agent.instance.Action.REPORT_RESTORED;
import static dev.baton.agent.instance.Action.REPORT_UNHEALTHY;
import static dev.baton.agent.instance.Action.REREGISTER;
import static dev.baton.agent.instance.Action.RESYNC_ERROR;
import static dev.baton.agent.instance.Action.SCHEDULE_RESTART;
import static dev.baton.agent.instance.Action.STOP;

import dev.baton.common.model.InstanceState;
import java.util.List;

/**
 * The instance lifecycle as a pure function: (state, what is observed, input) to the next state and the
 * actions to apply (docs/ARCHITECTURE.md, Agent, "One supervisor per instance"). A first start that fails is
 * FAILED; a healthy instance that dies is deregistered and restarted with {@link Backoff}, the crash streak
 * reset after {@code restartResetMs} healthy; a restart that does not come up counts as one more crash. An
 * input that does not apply to the phase changes nothing.
 */
public final class Transitions {

  /**
   * What the supervisor decides with: its phase, the crash streak, whether a resync probe is in flight and
   * whether a failed one was reported this episode (both only while HEALTHY), and the last crash's reason.
   */
  public record State(Phase phase, int crashStreak, boolean probing, boolean lostReported, String lastCrash) {

    public State {
      probing = probing && phase == Phase.HEALTHY;
      lostReported = lostReported && phase == Phase.HEALTHY;
    }

    public static State initial() {
      return new State(Phase.NEW, 0, false, false, null);
    }

    State in(Phase next) {
      return new State(next, crashStreak, probing, lostReported, lastCrash);
    }
  }

  /** The next state, the actions in order, and the text they need (a reason, a message); delay for a restart. */
  public record Step(State state, List<Action> actions, String message, long delayMs) {

    static Step to(State state, String message, Action... actions) {
      return new Step(state, List.of(actions), message, 0);
    }
  }

  private final Backoff backoff;
  private final long restartResetMs;

  public Transitions(Backoff backoff, long restartResetMs) {
    this.backoff = backoff;
    this.restartResetMs = restartResetMs;
  }

  /**
   * @param registered whether the record says it is registered in Consul
   * @param healthyForMs how long it has been healthy (for the crash streak's reset)
   */
  public Step next(State s, boolean registered, long healthyForMs, Input input) {
    Phase p = s.phase();
    Step none = Step.to(s, null);
    if (input instanceof Input.Start) {
      return p == Phase.NEW ? Step.to(s.in(Phase.LAUNCHING), null, NEW_EPOCH, LAUNCH) : none;
    }
    if (input instanceof Input.Adopt a) {
      return p == Phase.NEW ? adopt(s, a) : none;
    }
    if (input instanceof Input.Launched) {
      return p == Phase.LAUNCHING ? Step.to(s.in(Phase.STARTING), null, RECORD_LAUNCH, GATE) : none;
    }
    if (input instanceof Input.LaunchRefused r) {
      return p == Phase.LAUNCHING ? failing(s, r.refusal().getMessage()) : none;
    }
    if (input instanceof Input.HealthPassed) {
      return p == Phase.STARTING ? Step.to(s.in(Phase.REGISTERING), null, REGISTER) : none;
    }
    if (input instanceof Input.HealthFailed f) {
      return p == Phase.STARTING ? failedStart(s, f.reason()) : none;
    }
    if (input instanceof Input.Registered) {
      return p == Phase.REGISTERING ? Step.to(s.in(Phase.HEALTHY), null, MARK_HEALTHY) : none;
    }
    if (input instanceof Input.RegisterFailed f) {
      return p == Phase.REGISTERING ? failedStart(s, f.reason()) : none;
    }
    if (input instanceof Input.Exited e) {
      return exited(s, registered, healthyForMs, e.how());
    }
    if (input instanceof Input.Cleared) {
      return p == Phase.CRASHED ? afterCrash(s) : none;
    }
    if (input instanceof Input.RestartDue) {
      return p == Phase.BACKOFF ? Step.to(s.in(Phase.LAUNCHING), null, NEW_EPOCH, LAUNCH) : none;
    }
    if (input instanceof Input.Stop) {
      return p.ending() || p.ended() || p == Phase.NEW ? none
          : Step.to(s.in(Phase.STOPPING), "stopping", NEW_EPOCH, STOP);
    }
    if (input instanceof Input.StopDone d) {
      return p == Phase.STOPPING ? Step.to(s.in(Phase.STOPPED), d.message(), END_STOPPED) : none;
    }
    if (input instanceof Input.FailDone) {
      return p == Phase.FAILING ? Step.to(s.in(Phase.FAILED), null, END_FAILED) : none;
    }
    if (input instanceof Input.Shutdown) {
      return Step.to(s, null, QUIESCE);
    }
    return resync(s, registered, input);
  }

  /** The resync of a registration the Consul agent lost: probe once, register again only if it passed. */
  private static Step resync(State s, boolean registered, Input input) {
    Step none = Step.to(s, null);
    if (s.phase() != Phase.HEALTHY) {
      return none;
    }
    if (input instanceof Input.Resync) {
      return registered && !s.probing()
          ? Step.to(new State(s.phase(), s.crashStreak(), true, s.lostReported(), s.lastCrash()), null, PROBE) : none;
    }
    if (!s.probing()) {
      return none;
    }
    if (input instanceof Input.ProbePassed) {
      return Step.to(s, null, REREGISTER);
    }
    if (input instanceof Input.ProbeFailed f) {
      State done = new State(s.phase(), s.crashStreak(), false, true, s.lastCrash());
      return s.lostReported() ? Step.to(done, f.reason()) : Step.to(done, f.reason(), REPORT_UNHEALTHY);
    }
    if (input instanceof Input.ReRegistered) {
      return Step.to(new State(s.phase(), s.crashStreak(), false, false, s.lastCrash()), null, REPORT_RESTORED);
    }
    if (input instanceof Input.ReRegisterFailed) {
      return Step.to(new State(s.phase(), s.crashStreak(), false, s.lostReported(), s.lastCrash()), null,
          RESYNC_ERROR);
    }
    return none;
  }

  private static Step adopt(State s, Input.Adopt a) {
    InstanceState recorded = a.recorded();
    if (recorded.isTerminal()) {
      return Step.to(s.in(recorded == InstanceState.STOPPED ? Phase.STOPPED : Phase.FAILED), null);
    }
    if (!a.alive()) {
      return failing(s, "process " + a.pid() + " was gone when the agent restarted");
    }
    if (recorded == InstanceState.DRAINING) {
      return Step.to(s.in(Phase.STOPPING), "stopping", ADOPT_PROCESS, NEW_EPOCH, STOP);
    }
    // HEALTHY or STARTING: pass the health gate again, then (re-)register under the same ID.
    return Step.to(s.in(Phase.STARTING), null, ADOPT_PROCESS, NEW_EPOCH, GATE);
  }

  private static Step failing(State s, String reason) {
    return Step.to(s.in(Phase.FAILING), reason, NEW_EPOCH, FAIL);
  }

  /** The process did not come up: the first start fails; a restart after a crash is one more crash. */
  private static Step failedStart(State s, String reason) {
    if (s.crashStreak() == 0) {
      return failing(s, reason);
    }
    return Step.to(new State(Phase.CRASHED, s.crashStreak() + 1, false, false, reason), reason, NEW_EPOCH, CLEAR);
  }

  /**
   * A process that ends while registered (HEALTHY, or adopted and passing its gate again) crashed; one that
   * ends before it ever was did not come up.
   */
  private Step exited(State s, boolean registered, long healthyForMs, String how) {
    boolean coming = s.phase() == Phase.STARTING || s.phase() == Phase.REGISTERING;
    if (coming && !registered) {
      return failedStart(s, how + " before becoming healthy");
    }
    if (!coming && s.phase() != Phase.HEALTHY) {
      return Step.to(s, null);
    }
    int streak = (healthyForMs >= restartResetMs ? 0 : s.crashStreak()) + 1;
    return Step.to(new State(Phase.CRASHED, streak, false, false, how), how + " while healthy",
        NEW_EPOCH, REPORT_CRASH, CLEAR);
  }

  private Step afterCrash(State s) {
    int attempt = s.crashStreak();
    if (backoff.exhausted(attempt)) {
      return failing(s, "gave up after " + (attempt - 1) + " restarts in a row; last: " + s.lastCrash());
    }
    long delay = backoff.delayMs(attempt);
    return new Step(s.in(Phase.BACKOFF), List.of(SCHEDULE_RESTART),
        "restarting in " + delay + " ms (attempt " + attempt + ") after: " + s.lastCrash(), delay);
  }
}
