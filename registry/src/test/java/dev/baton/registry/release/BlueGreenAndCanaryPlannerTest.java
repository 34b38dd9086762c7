package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.WeightedVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlueGreenAndCanaryPlannerTest {

  static final String BG = "{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":30}";
  static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":60},"
      + "{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}],\"sticky\":{\"header\":\"X-User-Id\"}}";
  static final String ANALYSED = "{\"type\":\"canary\",\"steps\":[{\"weight\":20}],"
      + "\"analysis\":{\"maxErrorRate\":0.05,\"minRequests\":10,\"intervalSeconds\":5,\"failureLimit\":2}}";

  static RoutePolicy preview(String blue, String green) {
    return new RoutePolicy("shop", 4, List.of(new WeightedVersion(blue, 100)),
        List.of(new RouteRule(dev.baton.common.model.BlueGreenStrategy.DEFAULT_PREVIEW, green)), null, null);
  }

  @Test
  void blueGreenStartsAllGreenThenOpensOnlyThePreviewRuleAndWaitsForPromote() {
    Release r = release("1", "2", strategy(BG));
    assertThat(words(Planners.plan(new PlanContext(spec(2), r, world("a:1:H, b:1:H", split("1=1"))))))
        .containsExactly("start 2@c", "start 2@a");
    assertThat(words(Planners.plan(new PlanContext(spec(2), r, world("a:1:H, b:1:H, c:2:H, a:2:H", split("1=1"))))))
        .containsExactly("route 1=100 +rule->2");
    Decision ready = Planners.plan(new PlanContext(spec(2), r, world("a:1:H, b:1:H, c:2:H, a:2:H", preview("1", "2"))));
    Decision waiting = Planners.plan(new PlanContext(spec(2), ready.release(),
        world("a:1:H, b:1:H, c:2:H, a:2:H", preview("1", "2"))));
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.release().phase()).isEqualTo(ReleasePhase.PAUSED);
    assertThat(waiting.release().message()).contains("promote");
  }

  @Test
  void promotedBlueGreenSwitchesInOneRevisionThenSucceedsWithBlueWarmUntilAShownTime() {
    Release promoted = PlanContext.with(release("1", "2", strategy(BG)).withStep(1), Progress.PROMOTED_AT, NOW);
    String both = "a:1:H, b:1:H, c:2:H, a:2:H";
    assertThat(words(Planners.plan(new PlanContext(spec(2), promoted, world(both, preview("1", "2"))))))
        .containsExactly("route 2=100");
    Decision done = Planners.plan(new PlanContext(spec(2), promoted, world(both, split("2=1"), NOW + 1_000, MetricsView.NONE)));
    assertThat(done.actions()).as("blue is left warm, for the reconciler to stop after the delay").isEmpty();
    assertThat(done.release().phase()).isEqualTo(ReleasePhase.SUCCEEDED);
    assertThat(done.release().progress().getLong(Progress.BLUE_WARM_UNTIL)).isEqualTo(NOW + 30_000);
    assertThat(done.release().message()).contains("blue 1 stays warm until " + java.time.Instant.ofEpochMilli(NOW + 30_000))
        .contains("/v1/apps/shop/rollback");
    // A registry that comes back after the delay has passed stops blue itself before it reads SUCCEEDED.
    Decision late = Planners.plan(new PlanContext(spec(2), promoted, world(both, split("2=1"), NOW + 30_000, MetricsView.NONE)));
    assertThat(words(late)).containsExactly("stop shop-1-a-20000", "stop shop-1-b-20001");
  }

  @Test
  void blueGreenWithoutADelayStopsBlueBeforeSucceeding() {
    Release promoted = PlanContext.with(release("1", "2", strategy("{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":0}"))
        .withStep(1), Progress.PROMOTED_AT, NOW);
    assertThat(words(Planners.plan(new PlanContext(spec(2), promoted, world("a:1:H, c:2:H, a:2:H", split("2=1"))))))
        .containsExactly("stop shop-1-a-20000");
    Decision done = Planners.plan(new PlanContext(spec(2), promoted, world("c:2:H, a:2:H", split("2=1"))));
    assertThat(done.release().phase()).isEqualTo(ReleasePhase.SUCCEEDED);
    assertThat(done.release().progress().containsKey(Progress.BLUE_WARM_UNTIL)).isFalse();
  }

  @Test
  void anImmediatePromotionOfAReadyGreenSkipsThePreviewSoARollbackIsOneRouteRevision() {
    Release r = release("2", "1", strategy("{\"type\":\"blue-green\",\"autoPromoteSeconds\":0,\"scaleDownDelaySeconds\":0}"));
    String both = "a:1:H, b:1:H, c:2:H, a:2:H";
    Decision promoting = Planners.plan(new PlanContext(spec(2), r, world(both, split("2=1"))));
    assertThat(promoting.actions()).isEmpty();
    assertThat(promoting.release().step()).isEqualTo(1);
    assertThat(words(Planners.plan(new PlanContext(spec(2), promoting.release(), world(both, split("2=1"))))))
        .containsExactly("route 1=100");
  }

  @Test
  void abortedBlueGreenAfterPromotionFlipsBackInOneRouteWriteBeforeStoppingGreen() {
    Release aborting = PlanContext.with(release("1", "2", strategy(BG)).withStep(1), Progress.ABORT, "operator");
    String both = "a:1:H, b:1:H, c:2:H, a:2:H";
    assertThat(words(Planners.plan(new PlanContext(spec(2), aborting, world(both, split("2=1"))))))
        .containsExactly("route 1=100");
    assertThat(words(Planners.plan(new PlanContext(spec(2), aborting, world(both, split("1=1"))))))
        .containsExactly("stop shop-2-c-20002", "stop shop-2-a-20003");
    Decision done = Planners.plan(new PlanContext(spec(2), aborting, world("a:1:H, b:1:H", split("1=1"))));
    assertThat(done.release().phase()).isEqualTo(ReleasePhase.ABORTED);
    assertThat(done.release().message()).contains("operator");
  }

  @Test
  void abortAfterARollingReplacedEverythingStartsTheOldVersionBeforeMovingTraffic() {
    Release aborting = PlanContext.with(release("1", "2", strategy("{\"type\":\"rolling\"}")), Progress.ABORT, "x");
    assertThat(words(Planners.plan(new PlanContext(spec(2), aborting, world("a:2:H, b:2:H", split("2=1"))))))
        .containsExactly("start 1@c", "start 1@a");
    assertThat(words(Planners.plan(new PlanContext(spec(2), aborting, world("a:2:H, b:2:H, c:1:H", split("2=1"))))))
        .containsExactly("route 1=100");
  }

  @Test
  void canaryStepStartsACanaryRoutesItsWeightWithStickyKeyThenPausesForItsDuration() {
    Release r = release("1", "2", strategy(CANARY));
    String stable = "a:1:H, b:1:H, c:1:H, a:1:H";
    assertThat(words(Planners.plan(new PlanContext(spec(4), r, world(stable, split("1=1"))))))
        .as("ceil(4 x 10%) = 1 canary").containsExactly("start 2@b");
    Decision route = Planners.plan(new PlanContext(spec(4), r, world(stable + ", b:2:H", split("1=1"))));
    assertThat(words(route)).containsExactly("route 1=90,2=10");
    assertThat(((Action.WriteRoute) route.actions().get(0)).policy().sticky().name()).isEqualTo("X-User-Id");
    RoutePolicy at10 = ((Action.WriteRoute) route.actions().get(0)).policy();
    Decision started = Planners.plan(new PlanContext(spec(4), r, world(stable + ", b:2:H", at10)));
    assertThat(started.release().progress().getLong(Progress.STEP_STARTED_AT)).isEqualTo(NOW);
    Decision pausing = Planners.plan(new PlanContext(spec(4), started.release(),
        world(stable + ", b:2:H", at10, NOW + 59_000, MetricsView.NONE)));
    assertThat(pausing.release().step()).isZero();
    Decision next = Planners.plan(new PlanContext(spec(4), started.release(),
        world(stable + ", b:2:H", at10, NOW + 60_000, MetricsView.NONE)));
    assertThat(next.release().step()).isEqualTo(1);
    assertThat(next.release().progress().containsKey(Progress.STEP_STARTED_AT)).isFalse();
  }

  @Test
  void manualCanaryStepPausesUntilPromotedForThatStep() {
    Release atStep2 = PlanContext.with(release("1", "2", strategy(CANARY)).withStep(1), Progress.STEP_STARTED_AT, NOW);
    String world = "a:1:H, b:1:H, c:2:H, a:2:H";
    RoutePolicy at50 = RouteSplits.weighted("shop", "1", "2", 50, List.of(),
        new dev.baton.common.model.Sticky(dev.baton.common.model.Match.Source.HEADER, "X-User-Id"));
    Decision paused = Planners.plan(new PlanContext(spec(2), atStep2, world(world, at50, NOW + 3_600_000, MetricsView.NONE)));
    assertThat(paused.release().phase()).isEqualTo(ReleasePhase.PAUSED);
    assertThat(paused.release().step()).isEqualTo(1);
    Release promoted = PlanContext.with(atStep2, Progress.PROMOTE, 1);
    Decision next = Planners.plan(new PlanContext(spec(2), promoted, world(world, at50)));
    assertThat(next.release().step()).isEqualTo(2);
    assertThat(next.release().phase()).isEqualTo(ReleasePhase.PROGRESSING);
  }

  @Test
  void canaryAfterTheLastStepScalesUpTakesAllTrafficThenStopsStable() {
    Release last = release("1", "2", strategy(CANARY)).withStep(3);
    assertThat(words(Planners.plan(new PlanContext(spec(2), last, world("a:1:H, b:1:H, c:2:H", split("2=1"))))))
        .containsExactly("start 2@a");
    assertThat(words(Planners.plan(new PlanContext(spec(2), last, world("a:1:H, b:1:H, c:2:H, a:2:H", split("2=1"))))))
        .containsExactly("stop shop-1-a-20000", "stop shop-1-b-20001");
    assertThat(Planners.plan(new PlanContext(spec(2), last, world("c:2:H, a:2:H", split("2=1")))).release().phase())
        .isEqualTo(ReleasePhase.SUCCEEDED);
  }

  @Test
  void tooLittleCanaryTrafficIsInconclusiveAndNeverAdvancesTheStep() {
    Release r = PlanContext.with(release("1", "2", strategy(ANALYSED)), Progress.STEP_STARTED_AT, NOW);
    MetricsView quiet = (app, v, from, to) -> new MetricsView.Sample(v.equals("2") ? 3 : 100, 0, 10);
    RoutePolicy at20 = RouteSplits.weighted("shop", "1", "2", 20, List.of(), null);
    Decision d = Planners.plan(new PlanContext(spec(2), r, world("a:1:H, b:1:H, c:2:H", at20, NOW + 5_000, quiet)));
    assertThat(d.release().progress().getJsonObject(Progress.ANALYSIS).getInteger("inconclusive")).isEqualTo(1);
    Decision after = Planners.plan(new PlanContext(spec(2), d.release(), world("a:1:H, b:1:H, c:2:H", at20, NOW + 6_000, quiet)));
    assertThat(after.release().step()).isZero();
    assertThat(after.blocked()).isTrue();
  }

  @Test
  void failingCanaryAbortsAtTheFailureLimitAndThenRoutesEverythingBackToStable() {
    Release r = PlanContext.with(release("1", "2", strategy(ANALYSED)), Progress.STEP_STARTED_AT, NOW);
    MetricsView bad = (app, v, from, to) -> v.equals("2") ? new MetricsView.Sample(100, 30, 10)
        : new MetricsView.Sample(400, 0, 10);
    RoutePolicy at20 = RouteSplits.weighted("shop", "1", "2", 20, List.of(), null);
    String world = "a:1:H, b:1:H, c:2:H";
    Decision first = Planners.plan(new PlanContext(spec(2), r, world(world, at20, NOW + 5_000, bad)));
    assertThat(first.release().progress().containsKey(Progress.ABORT)).isFalse();
    Decision second = Planners.plan(new PlanContext(spec(2), first.release(), world(world, at20, NOW + 10_000, bad)));
    assertThat(second.release().progress().getString(Progress.ABORT)).contains("30.00%");
    assertThat(words(Planners.plan(new PlanContext(spec(2), second.release(), world(world, at20, NOW + 10_001, bad)))))
        .containsExactly("route 1=100");
    assertThat(words(Planners.plan(new PlanContext(spec(2), second.release(), world(world, split("1=1"), NOW + 10_002, bad)))))
        .containsExactly("stop shop-2-c-20002");
  }
  @Test
  void afterAFailoverAWindowStartsWhereTheNewLeadersMetricsStart() {
    // step started at NOW; the standby that now leads has heard gateway metrics since NOW + 4 s only
    Release r = PlanContext.with(release("1", "2", strategy(ANALYSED)), Progress.STEP_STARTED_AT, NOW);
    long[] asked = new long[2];
    MetricsView fresh = new MetricsView() {
      @Override
      public Sample sum(String app, String version, long from, long to) {
        asked[0] = from;
        asked[1] = to;
        return new Sample(version.equals("2") ? 50 : 200, 0, 10);
      }

      @Override
      public long coverageStartMs() {
        return NOW + 4_000;
      }
    };
    RoutePolicy at20 = RouteSplits.weighted("shop", "1", "2", 20, List.of(), null);
    String world = "a:1:H, b:1:H, c:2:H";
    Decision early = Planners.plan(new PlanContext(spec(2), r, world(world, at20, NOW + 5_000, fresh)));
    assertThat(early.release().progress().containsKey(Progress.ANALYSIS))
        .as("5 s after the step started but 1 s of metrics: no interval is judged yet").isFalse();
    assertThat(early.release().step()).isZero();
    Decision judged = Planners.plan(new PlanContext(spec(2), r, world(world, at20, NOW + 9_000, fresh)));
    assertThat(asked).containsExactly(NOW + 4_000, NOW + 9_000);
    assertThat(judged.release().progress().getJsonObject(Progress.ANALYSIS).getInteger("passes")).isEqualTo(1);
  }
}
