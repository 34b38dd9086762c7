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
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.instance.Transitions.State;
import dev.baton.agent.instance.Transitions.Step;
import dev.baton.agent.process.RunningProcess;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.InstanceState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The supervisor's decisions, one row per (state, observation, input): the next phase and the actions in order. */
class TransitionsTest {

  /** Backoff 1 s doubling to 30 s, at most 3 restarts in a row; 60 s healthy resets the streak. */
  static final Transitions T = new Transitions(new Backoff(1_000, 30_000, 3), 60_000);
  static final RunningProcess ALIVE = new RunningProcess(ProcessHandle.current(), 0, null);
  static final boolean REG = true;
  static final boolean UNREG = false;

  static State in(Phase phase) {
    return new State(phase, 0, false, false, null);
  }

  static State streak(Phase phase, int crashes, String lastCrash) {
    return new State(phase, crashes, false, false, lastCrash);
  }

  static State probing(boolean lostReported) {
    return new State(Phase.HEALTHY, 0, true, lostReported, null);
  }

  static Arguments row(String why, State s, boolean registered, long healthyForMs, Input input, Phase next,
                       List<Action> actions) {
    return Arguments.of(why, s, registered, healthyForMs, input, next, actions);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row("a new instance launches", in(Phase.NEW), UNREG, 0, new Input.Start(), Phase.LAUNCHING, List.of(NEW_EPOCH, LAUNCH)),
        row("a launched process is recorded and gated", in(Phase.LAUNCHING), UNREG, 0, new Input.Launched(null, null),
            Phase.STARTING, List.of(RECORD_LAUNCH, GATE)),
        row("a refused launch fails", in(Phase.LAUNCHING), UNREG, 0,
            new Input.LaunchRefused(new ApiException(422, "artifact_corrupt", "sha256 differs")), Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("a passed gate registers", in(Phase.STARTING), UNREG, 0, new Input.HealthPassed(), Phase.REGISTERING, List.of(REGISTER)),
        row("a first start that fails its gate fails", in(Phase.STARTING), UNREG, 0, new Input.HealthFailed("wrong version"),
            Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("a restart that fails its gate is one more crash", streak(Phase.STARTING, 1, "x"), UNREG, 0,
            new Input.HealthFailed("no answer"), Phase.CRASHED, List.of(NEW_EPOCH, CLEAR)),
        row("a first start that exits fails", in(Phase.STARTING), UNREG, 0, new Input.Exited("exited with code 3"),
            Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("an adopted healthy instance that exits during its gate crashed", in(Phase.STARTING), REG, Long.MAX_VALUE,
            new Input.Exited("exited"), Phase.CRASHED, List.of(NEW_EPOCH, REPORT_CRASH, CLEAR)),
        row("a registration makes it healthy", in(Phase.REGISTERING), UNREG, 0, new Input.Registered(), Phase.HEALTHY, List.of(MARK_HEALTHY)),
        row("a refused first registration fails", in(Phase.REGISTERING), UNREG, 0, new Input.RegisterFailed("403"),
            Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("a healthy instance that exits crashed", in(Phase.HEALTHY), REG, 5_000, new Input.Exited("exited with code 137"),
            Phase.CRASHED, List.of(NEW_EPOCH, REPORT_CRASH, CLEAR)),
        row("a crash cleared waits out the backoff", streak(Phase.CRASHED, 1, "exited"), UNREG, 0, new Input.Cleared(),
            Phase.BACKOFF, List.of(SCHEDULE_RESTART)),
        row("a crash past the limit fails", streak(Phase.CRASHED, 4, "exited"), UNREG, 0, new Input.Cleared(),
            Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("the backoff over, it launches again", streak(Phase.BACKOFF, 1, "exited"), UNREG, 0, new Input.RestartDue(),
            Phase.LAUNCHING, List.of(NEW_EPOCH, LAUNCH)),
        row("stop while launching", in(Phase.LAUNCHING), UNREG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop while starting", in(Phase.STARTING), UNREG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop while registering", in(Phase.REGISTERING), UNREG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop while healthy", in(Phase.HEALTHY), REG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop after a crash", streak(Phase.CRASHED, 1, "x"), REG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop during the backoff", streak(Phase.BACKOFF, 1, "x"), UNREG, 0, new Input.Stop(), Phase.STOPPING, List.of(NEW_EPOCH, STOP)),
        row("stop while stopping changes nothing", in(Phase.STOPPING), REG, 0, new Input.Stop(), Phase.STOPPING, List.of()),
        row("stop while failing changes nothing", in(Phase.FAILING), UNREG, 0, new Input.Stop(), Phase.FAILING, List.of()),
        row("stop when stopped changes nothing", in(Phase.STOPPED), UNREG, 0, new Input.Stop(), Phase.STOPPED, List.of()),
        row("stop when failed changes nothing", in(Phase.FAILED), UNREG, 0, new Input.Stop(), Phase.FAILED, List.of()),
        row("the stop sequence done", in(Phase.STOPPING), UNREG, 0, new Input.StopDone("stopped"), Phase.STOPPED, List.of(END_STOPPED)),
        row("the fail sequence done", in(Phase.FAILING), UNREG, 0, new Input.FailDone(List.of()), Phase.FAILED, List.of(END_FAILED)),
        row("adopt a stopped record", in(Phase.NEW), UNREG, 0, new Input.Adopt(InstanceState.STOPPED, 0, null), Phase.STOPPED, List.of()),
        row("adopt a failed record", in(Phase.NEW), UNREG, 0, new Input.Adopt(InstanceState.FAILED, 7, null), Phase.FAILED, List.of()),
        row("adopt a live healthy one: gate again", in(Phase.NEW), REG, 0, new Input.Adopt(InstanceState.HEALTHY, 7, ALIVE),
            Phase.STARTING, List.of(ADOPT_PROCESS, NEW_EPOCH, GATE)),
        row("adopt a live starting one: gate again", in(Phase.NEW), UNREG, 0, new Input.Adopt(InstanceState.STARTING, 7, ALIVE),
            Phase.STARTING, List.of(ADOPT_PROCESS, NEW_EPOCH, GATE)),
        row("adopt a live draining one: resume the stop", in(Phase.NEW), UNREG, 0, new Input.Adopt(InstanceState.DRAINING, 7, ALIVE),
            Phase.STOPPING, List.of(ADOPT_PROCESS, NEW_EPOCH, STOP)),
        row("adopt one whose process is gone: fail", in(Phase.NEW), REG, 0, new Input.Adopt(InstanceState.HEALTHY, 7, null),
            Phase.FAILING, List.of(NEW_EPOCH, FAIL)),
        row("resync a healthy registered one: probe", in(Phase.HEALTHY), REG, 0, new Input.Resync(), Phase.HEALTHY, List.of(PROBE)),
        row("resync while a probe runs: nothing", probing(false), REG, 0, new Input.Resync(), Phase.HEALTHY, List.of()),
        row("resync of one never registered: nothing", in(Phase.HEALTHY), UNREG, 0, new Input.Resync(), Phase.HEALTHY, List.of()),
        row("resync while starting: nothing", in(Phase.STARTING), REG, 0, new Input.Resync(), Phase.STARTING, List.of()),
        row("resync while stopping: nothing", in(Phase.STOPPING), REG, 0, new Input.Resync(), Phase.STOPPING, List.of()),
        row("a passing probe registers again", probing(false), REG, 0, new Input.ProbePassed(), Phase.HEALTHY, List.of(REREGISTER)),
        row("a first failing probe is reported", probing(false), REG, 0, new Input.ProbeFailed("timeout"), Phase.HEALTHY,
            List.of(REPORT_UNHEALTHY)),
        row("a failing probe again is not", probing(true), REG, 0, new Input.ProbeFailed("timeout"), Phase.HEALTHY, List.of()),
        row("registered again", probing(true), REG, 0, new Input.ReRegistered(), Phase.HEALTHY, List.of(REPORT_RESTORED)),
        row("registering again refused", probing(false), REG, 0, new Input.ReRegisterFailed(new RuntimeException("403")),
            Phase.HEALTHY, List.of(RESYNC_ERROR)),
        row("a probe outcome with no probe asked: nothing", in(Phase.HEALTHY), REG, 0, new Input.ProbePassed(), Phase.HEALTHY, List.of()),
        row("a late health verdict when healthy: nothing", in(Phase.HEALTHY), REG, 0, new Input.HealthPassed(), Phase.HEALTHY, List.of()),
        row("a late launch when stopping: nothing", in(Phase.STOPPING), UNREG, 0, new Input.Launched(null, null), Phase.STOPPING, List.of()),
        row("an exit during the backoff: nothing", streak(Phase.BACKOFF, 1, "x"), UNREG, 0, new Input.Exited("exited"),
            Phase.BACKOFF, List.of()),
        row("an exit while stopping: the stop sees it", in(Phase.STOPPING), REG, 0, new Input.Exited("exited"), Phase.STOPPING, List.of()),
        row("shutdown during the backoff cancels the restart", streak(Phase.BACKOFF, 1, "x"), UNREG, 0, new Input.Shutdown(),
            Phase.BACKOFF, List.of(QUIESCE)),
        row("start twice: nothing", in(Phase.STARTING), UNREG, 0, new Input.Start(), Phase.STARTING, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String why, State s, boolean registered, long healthyForMs, Input input, Phase next, List<Action> actions) {
    Step step = T.next(s, registered, healthyForMs, input);
    assertThat(step.state().phase()).as(why).isEqualTo(next);
    assertThat(step.actions()).as(why).containsExactlyElementsOf(actions);
  }

  @Test
  void theCrashStreakGrowsWithEachCrashAndResetsAfterAMinuteHealthy() {
    assertThat(T.next(streak(Phase.HEALTHY, 2, null), REG, 5_000, new Input.Exited("exited")).state().crashStreak()).isEqualTo(3);
    assertThat(T.next(streak(Phase.HEALTHY, 2, null), REG, 60_000, new Input.Exited("exited")).state().crashStreak()).isEqualTo(1);
    assertThat(T.next(streak(Phase.STARTING, 2, "a"), UNREG, 0, new Input.HealthFailed("b")).state())
        .isEqualTo(new State(Phase.CRASHED, 3, false, false, "b"));
  }

  @Test
  void theBackoffDoublesAndSaysWhy() {
    Step first = T.next(streak(Phase.CRASHED, 1, "exited with code 137"), UNREG, 0, new Input.Cleared());
    assertThat(first.delayMs()).isEqualTo(1_000);
    assertThat(first.message()).isEqualTo("restarting in 1000 ms (attempt 1) after: exited with code 137");
    assertThat(T.next(streak(Phase.CRASHED, 3, "x"), UNREG, 0, new Input.Cleared()).delayMs()).isEqualTo(4_000);
    assertThat(T.next(streak(Phase.CRASHED, 4, "exited with code 1"), UNREG, 0, new Input.Cleared()).message())
        .isEqualTo("gave up after 3 restarts in a row; last: exited with code 1");
  }

  @Test
  void reasonsNameWhatHappened() {
    assertThat(T.next(in(Phase.STARTING), UNREG, 0, new Input.Exited("exited with code 3")).message())
        .isEqualTo("exited with code 3 before becoming healthy");
    assertThat(T.next(in(Phase.HEALTHY), REG, 0, new Input.Exited("exited with code 137")).message())
        .isEqualTo("exited with code 137 while healthy");
    assertThat(T.next(in(Phase.NEW), REG, 0, new Input.Adopt(InstanceState.HEALTHY, 4242, null)).message())
        .isEqualTo("process 4242 was gone when the agent restarted");
    assertThat(T.next(in(Phase.LAUNCHING), UNREG, 0,
        new Input.LaunchRefused(new ApiException(422, "artifact_corrupt", "sha256 differs"))).message()).isEqualTo("sha256 differs");
    assertThat(T.next(probing(false), REG, 0, new Input.ProbeFailed("/health did not pass: timeout")).message())
        .isEqualTo("/health did not pass: timeout");
  }

  @Test
  void leavingHealthyForgetsTheResyncEpisode() {
    Step stop = T.next(probing(true), REG, 0, new Input.Stop());
    assertThat(stop.state().probing()).isFalse();
    assertThat(stop.state().lostReported()).isFalse();
    Step reported = T.next(probing(false), REG, 0, new Input.ProbeFailed("timeout"));
    assertThat(reported.state()).isEqualTo(new State(Phase.HEALTHY, 0, false, true, null));
    assertThat(T.next(probing(true), REG, 0, new Input.ReRegistered()).state().lostReported()).isFalse();
  }
}
