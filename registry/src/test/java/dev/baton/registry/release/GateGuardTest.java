package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Gate;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.hooks.WebhookClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where gates hold a release, when they are asked again, and what their timeout does: pure tables. */
class GateGuardTest {

  static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":25,\"pauseSeconds\":5},{\"weight\":100}]}";
  static final String BG = "{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":30}";
  static final String ME = "reg-1/aaaa";

  static Release gated(String strategy, Gate... gates) {
    Release r = Fixtures.release("1", "2", strategy(strategy));
    return new Release(r.id(), r.app(), r.fromVersion(), r.toVersion(), r.strategy(), r.phase(), r.step(), r.message(),
        r.history(), r.progress(), List.of(gates));
  }

  static Gate gate(Gate.On on, int timeoutSeconds, Gate.OnTimeout onTimeout) {
    return new Gate(on, "http://smoke.test/" + on.key(), timeoutSeconds, onTimeout);
  }

  /** One look: plan, then the guard, at {@code now}. */
  static GateGuard.Gated look(Release r, String instances, long now) {
    return look(r, instances, now, "1=1");
  }

  static GateGuard.Gated look(Release r, String instances, long now, String route) {
    PlanContext ctx = new PlanContext(spec(2), r, world(instances, split(route), now, MetricsView.NONE));
    return GateGuard.apply(ctx, Planners.plan(ctx), ME);
  }

  static Release answer(Release r, GateCall call, int status, long now) {
    return GateProgress.answered(r, call, new WebhookClient.Reply(status, 7, status == 200 ? "ok" : "not yet", null),
        now, e -> { });
  }

  @Test
  void preRolloutHoldsTheFirstActionUntilItsGateAnswers2xxAskingAgainWithBackOff() {
    Release r = gated(CANARY, gate(Gate.On.PRE_ROLLOUT, 60, Gate.OnTimeout.ABORT));
    GateGuard.Gated first = look(r, "a:1:H, b:1:H", NOW);
    assertThat(first.decision().actions()).as("nothing starts before the gate passed").isEmpty();
    assertThat(first.calls()).singleElement().satisfies(c -> {
      assertThat(c.key()).isEqualTo("pre-rollout#0");
      assertThat(c.attempt()).isEqualTo(1);
      assertThat(c.payload().getString("on")).isEqualTo("pre-rollout");
      assertThat(c.payload().getJsonObject("release").getString("id")).isEqualTo("shop.1");
    });
    Release asked = first.decision().release();
    assertThat(look(asked, "a:1:H, b:1:H", NOW + 500).calls()).as("in flight: not asked twice").isEmpty();

    Release no = answer(asked, first.calls().get(0), 503, NOW + 100);
    assertThat(no.history().get(no.history().size() - 1).message())
        .isEqualTo("pre-rollout gate http://smoke.test/pre-rollout (before the release starts), attempt 1: 503 in 7 ms:"
            + " 'not yet'; not passed, waiting");
    GateGuard.Gated early = look(no, "a:1:H, b:1:H", NOW + 600);
    assertThat(early.calls()).isEmpty();
    assertThat(early.decision().release().message()).contains("answered 503").contains("asking again at");
    GateGuard.Gated again = look(no, "a:1:H, b:1:H", NOW + 1100);
    assertThat(again.calls()).singleElement().satisfies(c -> assertThat(c.attempt()).isEqualTo(2));

    Release yes = answer(again.decision().release(), again.calls().get(0), 200, NOW + 1200);
    GateGuard.Gated through = look(yes, "a:1:H, b:1:H", NOW + 1300);
    assertThat(words(through.decision())).as("the planner's own decision").containsExactly("start 2@c");
    assertThat(through.calls()).isEmpty();
  }

  @Test
  void aCallAskedByAnotherRegistryProcessIsAskedAgainAtOnce() {
    Release r = gated(CANARY, gate(Gate.On.PRE_ROLLOUT, 60, Gate.OnTimeout.ABORT));
    Release asked = look(r, "a:1:H, b:1:H", NOW).decision().release();
    PlanContext ctx = new PlanContext(spec(2), asked, world("a:1:H, b:1:H", split("1=1"), NOW + 200, MetricsView.NONE));
    GateGuard.Gated afterFailover = GateGuard.apply(ctx, Planners.plan(ctx), "reg-2/bbbb");
    assertThat(afterFailover.calls()).singleElement().satisfies(c -> assertThat(c.attempt()).isEqualTo(2));
  }

  @Test
  void aGateThatNeverSaysYesAbortsOrKeepsWaitingAsItsOnTimeoutSays() {
    for (Gate.OnTimeout onTimeout : Gate.OnTimeout.values()) {
      Release r = gated(CANARY, gate(Gate.On.PRE_ROLLOUT, 10, onTimeout));
      GateGuard.Gated first = look(r, "a:1:H, b:1:H", NOW);
      Release no = answer(first.decision().release(), first.calls().get(0), 500, NOW + 100);
      Decision late = look(no, "a:1:H, b:1:H", NOW + 10_000).decision();
      if (onTimeout == Gate.OnTimeout.ABORT) {
        assertThat(late.release().progress().getString(Progress.ABORT))
            .isEqualTo("pre-rollout gate http://smoke.test/pre-rollout (before the release starts) did not answer 2xx"
                + " within 10s; last answered 500 in 7 ms: 'not yet' (attempt 1)");
      } else {
        assertThat(late.release().progress().containsKey(Progress.ABORT)).isFalse();
        assertThat(late.release().message()).contains("past its timeout of 10s, onTimeout wait: still asking");
      }
    }
  }

  @Test
  void stepGatesRunBeforeEveryWeightIncreaseAndConfirmPromotionBeforeTheLast() {
    Release r = gated(CANARY, gate(Gate.On.STEP, 60, Gate.OnTimeout.ABORT),
        gate(Gate.On.CONFIRM_PROMOTION, 60, Gate.OnTimeout.ABORT));
    GateGuard.Gated toStart = look(r, "a:1:H, b:1:H", NOW);
    assertThat(words(toStart.decision())).as("starting a canary instance is no weight increase").hasSize(1);
    GateGuard.Gated to25 = look(r, "a:1:H, b:1:H, c:2:H", NOW);
    assertThat(to25.decision().actions()).isEmpty();
    assertThat(to25.calls()).extracting(GateCall::key).containsExactly("step@2500#0");
    Release passed = answer(to25.decision().release(), to25.calls().get(0), 200, NOW + 10);
    assertThat(words(look(passed, "a:1:H, b:1:H, c:2:H", NOW + 20).decision())).containsExactly("route 1=75,2=25");

    Release last = PlanContext.with(passed.withStep(2), Progress.STEP_STARTED_AT, NOW);
    GateGuard.Gated to100 = look(last, "a:1:H, b:1:H, c:2:H, a:2:H", NOW + 30);
    assertThat(to100.calls()).extracting(GateCall::key).containsExactly("step@10000#0", "confirm-promotion@10000#1");
  }

  @Test
  void blueGreenConfirmsBeforeThePromotionItself() {
    Release r = PlanContext.with(PlanContext.with(gated(BG, gate(Gate.On.CONFIRM_PROMOTION, 60, Gate.OnTimeout.ABORT)),
        Progress.GREEN_READY_AT, NOW), Progress.PROMOTE, true);
    PlanContext ctx = new PlanContext(spec(2), r, world("a:1:H, b:1:H, c:2:H, a:2:H",
        BlueGreenAndCanaryPlannerTest.preview("1", "2"), NOW, MetricsView.NONE));
    GateGuard.Gated held = GateGuard.apply(ctx, Planners.plan(ctx), ME);
    assertThat(held.decision().release().step()).as("not promoted yet").isZero();
    assertThat(held.calls()).extracting(GateCall::key).containsExactly("confirm-promotion@10000#0");
  }

  @Test
  void rollbackGatesAreAskedOnceAndNeverHoldTheRollback() {
    Release aborting = PlanContext.with(gated(CANARY, gate(Gate.On.ROLLBACK, 5, Gate.OnTimeout.ABORT)), Progress.ABORT,
        "aborted by operator");
    GateGuard.Gated first = look(aborting, "a:1:H, b:1:H, c:2:H", NOW);
    assertThat(first.calls()).extracting(GateCall::key).containsExactly("rollback#0");
    assertThat(first.calls().get(0).payload().getString("point")).contains("aborted by operator");
    assertThat(words(first.decision())).as("the rollback goes on").containsExactly("stop shop-2-c-20002");
    assertThat(look(first.decision().release(), "a:1:H, b:1:H, c:2:H", NOW + 100).calls()).isEmpty();
  }

  @Test
  void aFailingPostRolloutGateMarksTheReleaseButLetsItSucceed() {
    Release done = gated(CANARY, gate(Gate.On.POST_ROLLOUT, 5, Gate.OnTimeout.ABORT)).withStep(2);
    GateGuard.Gated held = look(done, "a:2:H, b:2:H", NOW, "2=1");
    assertThat(held.decision().release().phase()).isEqualTo(ReleasePhase.PROGRESSING);
    assertThat(held.calls()).extracting(GateCall::key).containsExactly("post-rollout#0");
    Release no = answer(held.decision().release(), held.calls().get(0), 500, NOW + 100);
    Release after = look(no, "a:2:H, b:2:H", NOW + 5000, "2=1").decision().release();
    assertThat(after.phase()).isEqualTo(ReleasePhase.SUCCEEDED);
    assertThat(after.message()).startsWith("post-rollout gate http://smoke.test/post-rollout (after the release"
        + " succeeded) did not pass within 5s").endsWith("the release stays SUCCEEDED, nothing is rolled back");
  }

  @Test
  void aReleaseWithoutGatesIsUntouched() {
    Release r = Fixtures.release("1", "2", strategy(CANARY));
    PlanContext ctx = new PlanContext(spec(2), r, world("a:1:H, b:1:H", split("1=1")));
    Decision d = Planners.plan(ctx);
    assertThat(GateGuard.apply(ctx, d, ME).decision()).isSameAs(d);
  }
}
