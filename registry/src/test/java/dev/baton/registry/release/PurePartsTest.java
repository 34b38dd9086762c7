package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.ReleaseOperations.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PurePartsTest {

  @Test
  void proportionalWeightsAlwaysSumToExactly100() {
    var p = RouteSplits.proportional("shop", Map.of("1", 1, "2", 2));
    assertThat(p.split().stream().mapToInt(w -> w.basisPoints()).sum()).isEqualTo(10_000);
    assertThat(p.split().get(0).weight()).isEqualTo(33.33);
    assertThat(p.split().get(1).weight()).isEqualTo(66.67);
  }

  @Test
  void placementSpreadsOverTheLeastLoadedAgents() {
    Observed o = Fixtures.world("a:1:H, a:1:H, b:1:H", null);
    assertThat(Placement.agentsFor(o, "2", 3)).containsExactly("c", "b", "a");
    assertThat(Placement.agentsFor(o, "1", 2)).containsExactly("c", "b");
    assertThat(Placement.agentsFor(new Observed(List.of(), List.of(), null, 0, MetricsView.NONE), "1", 2)).isEmpty();
  }

  /**
   * Issue 11: a rolling release onto agents whose old instances are unevenly spread put every new instance on
   * one agent. Each version is spread on its own first, whatever the old ones left.
   */
  @ParameterizedTest(name = "{0} + {1} of 2 -> {2}")
  @CsvSource(delimiter = '|', value = {
      "a:1:H, a:1:H, b:1:H, b:2:H        | 2 | c, a",
      "a:2:H, b:1:H, b:1:H, c:1:H, c:1:H | 2 | b, c",
      "a:2:H, a:2:H, b:1:H               | 3 | c, b, c",
      "a:1:H, b:1:H, c:1:H               | 3 | a, b, c"})
  void eachVersionIsSpreadOverTheAgentsBeforeTotalsCount(String world, int count, String expected) {
    assertThat(Placement.agentsFor(Fixtures.world(world, null), "2", count))
        .containsExactly(expected.split(",\\s*"));
  }

  private static final java.time.Instant T0 = java.time.Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void operationsOnATerminalReleaseAreRefused() {
    Release done = Fixtures.release("1", "2", Fixtures.strategy("{\"type\":\"rolling\"}"))
        .transition(ReleasePhase.SUCCEEDED, "ok", "t");
    for (Op op : Op.values()) {
      assertThatThrownBy(() -> ReleaseOperations.apply(op, done, T0))
          .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("SUCCEEDED");
    }
  }

  @Test
  void anOperationThatWouldChangeNothingIsRefusedWithItsReasonAndPromoteDependsOnTheStrategy() {
    Release r = Fixtures.release("1", "2", Fixtures.strategy("{\"type\":\"canary\",\"steps\":[{\"weight\":10}]}"));
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.RESUME, r, T0))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("is not paused");
    Release paused = ReleaseOperations.apply(Op.PAUSE, r, T0);
    assertThat(paused.phase()).isEqualTo(ReleasePhase.PAUSED);
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.PAUSE, paused, T0))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("already paused");
    Release resumed = ReleaseOperations.apply(Op.RESUME, paused, T0);
    assertThat(resumed.phase()).isEqualTo(ReleasePhase.PROGRESSING);
    Release promoted = ReleaseOperations.apply(Op.PROMOTE, resumed, T0);
    assertThat(promoted.progress().getInteger(Progress.PROMOTE)).isZero();
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.PROMOTE, promoted, T0))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("already promoted");
    Release aborting = ReleaseOperations.apply(Op.ABORT, paused, T0);
    assertThat(aborting.progress().getString(Progress.ABORT)).isEqualTo("aborted by operator");
    assertThat(aborting.progress().containsKey(Progress.PAUSED)).isFalse();
    for (Op op : Op.values()) {
      assertThatThrownBy(() -> ReleaseOperations.apply(op, aborting, T0))
          .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("being aborted");
    }
    Release rolling = Fixtures.release("1", "2", Fixtures.strategy("{\"type\":\"rolling\"}"));
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.PROMOTE, rolling, T0))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("no promotion step");
  }

  @Test
  void resumeDoesNotPassAManualStepAndAPauseHoldsTheStepsTimer() {
    Release r = Fixtures.release("1", "2", Fixtures.strategy(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":60},{\"weight\":50,\"pause\":\"manual\"}]}"));
    Release atManualStep = r.withStep(1).transition(ReleasePhase.PAUSED, "step 2/2 (50%): paused until promote", "t");
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.RESUME, atManualStep, T0))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("promote it to go on");
    // 20 s into a 60 s step, paused for 5 minutes: the step still has 40 s to go after resume.
    long started = T0.toEpochMilli();
    Release running = PlanContext.with(r, Progress.STEP_STARTED_AT, started);
    Release paused = ReleaseOperations.apply(Op.PAUSE, running, T0.plusSeconds(20));
    Release resumed = ReleaseOperations.apply(Op.RESUME, paused, T0.plusSeconds(320));
    assertThat(resumed.progress().getLong(Progress.STEP_STARTED_AT)).isEqualTo(started + 300_000);
    assertThat(resumed.progress().containsKey(Progress.PAUSED_AT)).isFalse();
  }

}
