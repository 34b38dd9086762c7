package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.ReleaseOperations.Op;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A manual gradual abort steps a canary's weight back down the steps it took, then aborts as usual. */
class GradualAbortTest {

  static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":60},"
      + "{\"weight\":25},{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}]}";
  static final AbortRequest GRADUAL = new AbortRequest(true, null);
  static final Instant T0 = Instant.ofEpochMilli(NOW);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      at 50%, each step's own hold  | 2 |   | [25.0,10.0] | [10,30] | 50% -> 25% -> 10% -> 0%
      at 25%, stepDownSeconds 3     | 1 | 3 | [10.0]      | [3]     | 25% -> 10% -> 0%
      at 100% (last step, stable up) | 3 | 5 | [50.0,25.0,10.0] | [5,5,5] | 100% -> 50% -> 25% -> 10% -> 0%
      """)
  void theStepDownGoesBackThroughTheWeightsTaken(String what, int step, Integer hold, String weights, String holds,
                                                  String path) {
    Release r = ReleaseOperations.apply(Op.ABORT, release("1", "2", strategy(CANARY)).withStep(step), T0,
        new AbortRequest(true, hold));
    JsonObject plan = r.progress().getJsonObject(Progress.STEP_DOWN);
    assertThat(plan.getJsonArray("weights").encode()).isEqualTo(weights);
    assertThat(plan.getJsonArray("holds").encode()).isEqualTo(holds);
    assertThat(r.progress().containsKey(Progress.ABORT)).as("not aborting yet: the canary keeps some traffic").isFalse();
    assertThat(r.message()).isEqualTo("gradual abort by operator: " + path);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      rolling                  | {"type":"rolling"}    | 1 | only a canary steps its weight back down
      blue-green               | {"type":"blue-green"} | 0 | only a canary steps its weight back down
      canary at its first step | CANARY                | 0 | the next step down is 0%
      canary promoting to 100% | CANARY                | 4 | no steps to go back down
      """)
  void aGradualAbortThatMeansNothingIsRefusedWithItsReason(String what, String strategy, int step, String why) {
    Release r = release("1", "2", strategy(strategy.equals("CANARY") ? CANARY : strategy)).withStep(step);
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.ABORT, r, T0, GRADUAL))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining(why)
        .hasMessageContaining("abort without gradual");
  }

  @Test
  void aCanaryThatFailedAnAnalysisIntervalIsNotSteppedDownSlowly() {
    Release failing = PlanContext.with(release("1", "2", strategy(CANARY)).withStep(2), Progress.ANALYSIS,
        new JsonObject().put("failures", 1));
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.ABORT, failing, T0, GRADUAL))
        .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("failed 1 analysis interval(s)");
    assertThat(ReleaseOperations.apply(Op.ABORT, failing, T0).progress().getString(Progress.ABORT))
        .isEqualTo("aborted by operator");
  }

  @Test
  void whileSteppingDownOnlyAnImmediateAbortIsAcceptedAndItWinsAtOnce() {
    Release down = ReleaseOperations.apply(Op.ABORT, release("1", "2", strategy(CANARY)).withStep(2), T0, GRADUAL);
    for (Op op : new Op[] {Op.PROMOTE, Op.PAUSE, Op.RESUME}) {
      assertThatThrownBy(() -> ReleaseOperations.apply(op, down, T0))
          .isInstanceOf(ReleaseOperations.NotAllowedException.class).hasMessageContaining("stepping down");
    }
    assertThatThrownBy(() -> ReleaseOperations.apply(Op.ABORT, down, T0, GRADUAL))
        .hasMessageContaining("abort without gradual to roll back at once");
    Release now = ReleaseOperations.apply(Op.ABORT, down, T0);
    assertThat(now.progress().getString(Progress.ABORT)).contains("at once, during the gradual abort");
    assertThat(now.progress().containsKey(Progress.STEP_DOWN)).isFalse();
    assertThat(words(Planners.plan(new PlanContext(spec(4), now, world("a:1:H, b:1:H, c:2:H, a:2:H",
        split("1=50", "2=50")))))).containsExactly("route 1=100");
  }

  @Test
  void eachWeightIsRoutedThenHeldThenTheReleaseAbortsAsUsual() {
    Release r = ReleaseOperations.apply(Op.ABORT, release("1", "2", strategy(CANARY)).withStep(1), T0,
        new AbortRequest(true, 3));
    String both = "a:1:H, b:1:H, c:2:H, a:2:H";
    Decision route = Planners.plan(new PlanContext(spec(4), r, world(both, split("1=75", "2=25"))));
    assertThat(words(route)).containsExactly("route 1=90,2=10");
    Decision held = Planners.plan(new PlanContext(spec(4), r, world(both, split("1=90", "2=10"))));
    assertThat(held.actions()).isEmpty();
    Release holding = held.release();
    assertThat(holding.progress().getJsonObject(Progress.STEP_DOWN).getLong("since")).isEqualTo(NOW);
    Decision early = Planners.plan(new PlanContext(spec(4), holding, world(both, split("1=90", "2=10"),
        NOW + 2_999, MetricsView.NONE)));
    assertThat(early.release().message()).contains("gradual abort: 10% to 2, held 3s");
    Decision next = Planners.plan(new PlanContext(spec(4), holding, world(both, split("1=90", "2=10"),
        NOW + 3_000, MetricsView.NONE)));
    Decision end = Planners.plan(new PlanContext(spec(4), next.release(), world(both, split("1=90", "2=10"))));
    assertThat(end.release().progress().getString(Progress.ABORT))
        .isEqualTo("aborted by operator (gradual: 25% -> 10% -> 0%)");
    assertThat(words(Planners.plan(new PlanContext(spec(4), end.release(), world(both, split("1=90", "2=10"))))))
        .containsExactly("route 1=100");
  }

  @Test
  void theControllerWalksTheWeightsDownToStableAndEndsAborted() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
      String quick = "{\"type\":\"canary\",\"steps\":[{\"weight\":10},{\"weight\":25},"
          + "{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}]}";
      world.put(new Release("shop.ga", "shop", "1.0.0", "2.0.0", strategy(quick), ReleasePhase.PENDING, 0, "created",
          List.of(new HistoryEntry("t", ReleasePhase.PENDING, "created")), new JsonObject()));
      ReleaseController c = new ReleaseController(vertx, world,
          new ReleaseController.Settings(20, 60_000, 3, "test-registry"), System::currentTimeMillis);
      c.start();
      c.poke("shop.ga");
      Poll.until(Duration.ofSeconds(20), () -> world.release("shop.ga").phase() == ReleasePhase.PAUSED,
          "the canary to pause at 50%");
      int before = world.routeHistory.size();
      world.put(ReleaseOperations.apply(Op.ABORT, world.release("shop.ga"), Instant.now(), new AbortRequest(true, 1)));
      c.poke("shop.ga");
      Release r = Poll.value(Duration.ofSeconds(20), () -> world.release("shop.ga").phase() == ReleasePhase.ABORTED
          ? world.release("shop.ga") : null, "the gradual abort to end");
      List<String> shares = world.routeHistory.subList(before, world.routeHistory.size()).stream()
          .map(p -> p.split().stream().filter(w -> w.version().equals("2.0.0")).map(w -> CanaryPlanner.fmt(w.weight()))
              .findFirst().orElse("0")).toList();
      System.out.println("gradual abort: canary share after each route write " + shares);
      assertThat(shares).containsExactly("25", "10", "0");
      assertThat(r.message()).contains("aborted by operator (gradual: 50% -> 25% -> 10% -> 0%)");
      assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("1.0.0", 2));
      assertThat(world.violations).isEmpty();
      c.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
