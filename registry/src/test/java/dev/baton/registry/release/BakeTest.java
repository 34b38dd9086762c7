package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bake after 100% (docs/registry-api.md, "Canary analysis"): baseline, intervals, pass, failure, blue-green. */
class BakeTest {

  static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":100}],\"bakeSeconds\":20,"
      + "\"analysis\":{\"minRequests\":50,\"intervalSeconds\":5,\"warmupSeconds\":0,\"failureLimit\":2}}";
  static final String BLUE_GREEN = "{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":0,\"bakeSeconds\":10,"
      + "\"analysis\":{\"minRequests\":50,\"intervalSeconds\":5,\"warmupSeconds\":0}}";
  static final RoutePolicy ALL_NEW = RouteSplits.single("shop", "2");
  /** Stable warm beside the promoted canary. */
  static final String BOTH = "a:1:H, b:1:H, a:2:H, b:2:H";

  /** The previous version served 1000 requests with 5 errors before the release; the new one serves {@code errors}. */
  static final class Scripted implements MetricsView {
    final List<long[]> asked = new ArrayList<>();
    long errors;

    @Override
    public Sample sum(String app, String version, long from, long to) {
      asked.add(new long[] {from, to});
      return version.equals("1") ? new Sample(1000, 5, 2) : new Sample(500, errors, 2);
    }
  }

  static Release created(String strategy, long at) {
    return new Release("shop.1", "shop", "1", "2", strategy(strategy), ReleasePhase.PROGRESSING, 0, "started",
        List.of(new HistoryEntry(Instant.ofEpochMilli(at).toString(), ReleasePhase.PENDING, "created")),
        new JsonObject());
  }

  static Decision plan(Release r, String world, RoutePolicy route, long now, MetricsView m) {
    return Planners.plan(new PlanContext(spec(2), r, world(world, route, now, m)));
  }

  @Test
  void theBaselineIsThePreviousVersionOverTheFiveMinutesBeforeTheReleaseRecordedBeforeTrafficMoves() {
    Scripted m = new Scripted();
    long created = NOW - 30_000;
    Decision first = plan(created(CANARY, created), "a:1:H, b:1:H", RouteSplits.single("shop", "1"), NOW, m);
    assertThat(words(first)).as("it starts the canary in the same decision").isNotEmpty();
    JsonObject baseline = first.release().progress().getJsonObject(Bake.KEY).getJsonObject("baseline");
    assertThat(baseline.getLong("fromMs")).isEqualTo(created - Bake.BASELINE_MS);
    assertThat(baseline.getLong("toMs")).isEqualTo(created);
    assertThat(baseline.getLong("requests")).isEqualTo(1000);
    assertThat(baseline.getLong("errors")).isEqualTo(5);
    assertThat(first.release().history()).extracting(HistoryEntry::message)
        .anySatisfy(h -> assertThat(h).startsWith("bake baseline: 1 served 1000 requests, 5 errors (0.50%)"));
    Decision again = plan(first.release(), "a:1:H, b:1:H", RouteSplits.single("shop", "1"), NOW + 1_000, m);
    assertThat(again.release().progress().getJsonObject(Bake.KEY)).as("recorded once").isEqualTo(
        first.release().progress().getJsonObject(Bake.KEY));

    Decision none = plan(created(CANARY, created), "a:1:H, b:1:H", RouteSplits.single("shop", "1"), NOW,
        (app, v, f, t) -> new MetricsView.Sample(0, 0, 0));
    assertThat(none.release().history()).extracting(HistoryEntry::message).anySatisfy(h -> assertThat(h)
        .startsWith("bake baseline: no traffic of 1").contains("maxErrorRate and Prometheus queries only"));
  }

  @Test
  void aHealthyBakeKeepsStableWarmJudgesEveryIntervalThenStopsStableAndSucceeds() {
    Scripted m = new Scripted();
    m.errors = 2;
    Release r = baked(m);
    Decision start = plan(r, BOTH, ALL_NEW, NOW, m);
    assertThat(words(start)).as("stable is not stopped when the bake starts").isEmpty();
    assertThat(start.release().message()).startsWith("baking 2 for 20s at 100%");
    Decision waiting = plan(start.release(), BOTH, ALL_NEW, NOW + 3_000, m);
    assertThat(waiting.release().message()).isEqualTo("baking: 17s left, 0 interval(s) passed");
    Release cur = waiting.release();
    for (long t = 5_000; t <= 20_000; t += 5_000) {
      Decision d = plan(cur, BOTH, ALL_NEW, NOW + t, m);
      assertThat(words(d)).isEmpty();
      cur = d.release();
    }
    JsonArray h = cur.progress().getJsonArray(Progress.ANALYSIS_HISTORY);
    assertThat(h).hasSize(4);
    JsonObject last = h.getJsonObject(3);
    assertThat(last.getBoolean("bake")).isTrue();
    assertThat(last.getString("verdict")).isEqualTo("PASS");
    assertThat(last.getString("reason")).startsWith("bake: passed: canary error rate 0.40% (2/500) vs baseline 0.50%");
    assertThat(last.getJsonObject("stable").getLong("requests")).as("the baseline is the comparison").isEqualTo(1000);
    Decision passed = plan(cur, BOTH, ALL_NEW, NOW + 20_500, m);
    assertThat(passed.release().message()).isEqualTo("bake passed: 4 interval(s) passed in 20s");
    Decision stop = plan(passed.release(), BOTH, ALL_NEW, NOW + 21_000, m);
    assertThat(words(stop)).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("stop shop-1-"));
    Decision done = plan(stop.release(), "a:2:H, b:2:H", ALL_NEW, NOW + 22_000, m);
    assertThat(done.release().phase()).isEqualTo(ReleasePhase.SUCCEEDED);
  }

  @Test
  void failureLimitFailedIntervalsAbortAndTheRollbackIsOneRouteFlipToTheWarmStable() {
    Scripted m = new Scripted();
    m.errors = 150;
    Decision start = plan(baked(m), BOTH, ALL_NEW, NOW, m);
    Decision one = plan(start.release(), BOTH, ALL_NEW, NOW + 5_000, m);
    assertThat(one.release().message()).startsWith("bake: failed: canary error rate 30.00% (150/500) vs baseline 0.50%")
        .endsWith("(1/2)");
    Decision two = plan(one.release(), BOTH, ALL_NEW, NOW + 10_000, m);
    assertThat(two.release().progress().getString(Progress.ABORT)).startsWith("bake: failed: canary error rate 30.00%")
        .endsWith("(2 failed interval(s), limit 2)");
    Decision rollback = plan(two.release(), BOTH, ALL_NEW, NOW + 10_500, m);
    assertThat(words(rollback)).containsExactly("route 1=100");
  }

  @Test
  void blueStaysWarmUntilTheBakePassedWhateverTheScaleDownDelay() {
    Scripted m = new Scripted();
    m.errors = 1;
    Release r = PlanContext.with(Bake.withBaseline(new PlanContext(spec(2), created(BLUE_GREEN, NOW - 60_000),
        world("a:1:H, b:1:H", RouteSplits.single("shop", "1"), NOW, m)), created(BLUE_GREEN, NOW - 60_000), 10)
        .withStep(1), Progress.PROMOTED_AT, NOW);
    Decision start = plan(r, BOTH, ALL_NEW, NOW, m);
    assertThat(words(start)).isEmpty();
    Decision mid = plan(start.release(), BOTH, ALL_NEW, NOW + 5_000, m);
    assertThat(words(mid)).as("scaleDownDelaySeconds 0 is over, the bake is not").isEmpty();
    Decision end = plan(plan(mid.release(), BOTH, ALL_NEW, NOW + 10_000, m).release(), BOTH, ALL_NEW, NOW + 10_500, m);
    assertThat(end.release().message()).isEqualTo("bake passed: 2 interval(s) passed in 10s");
    assertThat(words(plan(end.release(), BOTH, ALL_NEW, NOW + 11_000, m))).hasSize(2);
  }

  @Test
  void withoutTrafficTheIntervalsAreInconclusiveAndTheBakeEndsWhenItsTimeIsUp() {
    MetricsView quiet = (app, v, f, t) -> new MetricsView.Sample(0, 0, 0);
    Release r = baked(quiet);
    Release cur = plan(r, BOTH, ALL_NEW, NOW, quiet).release();
    for (long t = 5_000; t <= 20_000; t += 5_000) {
      cur = plan(cur, BOTH, ALL_NEW, NOW + t, quiet).release();
    }
    assertThat(cur.progress().getJsonArray(Progress.ANALYSIS_HISTORY).getJsonObject(0).getString("reason"))
        .isEqualTo("bake: inconclusive: 0 canary requests, 50 needed");
    assertThat(plan(cur, BOTH, ALL_NEW, NOW + 20_500, quiet).release().message())
        .isEqualTo("bake passed: 0 interval(s) passed, 4 inconclusive in 20s");
  }

  @Test
  void aPauseHoldsTheBakeTimerAndAPromoteEndsTheBake() {
    Scripted m = new Scripted();
    Release baking = plan(plan(baked(m), BOTH, ALL_NEW, NOW, m).release(), BOTH, ALL_NEW, NOW + 5_000, m).release();
    Release paused = ReleaseOperations.apply(ReleaseOperations.Op.PAUSE, baking, Instant.ofEpochMilli(NOW + 6_000));
    Release resumed = ReleaseOperations.apply(ReleaseOperations.Op.RESUME, paused, Instant.ofEpochMilli(NOW + 66_000));
    assertThat(resumed.progress().getJsonObject(Bake.KEY).getLong("startedAt")).isEqualTo(NOW + 60_000);
    assertThat(resumed.progress().getJsonObject(Bake.KEY).getLong("lastAt")).isEqualTo(NOW + 65_000);
    assertThat(plan(resumed, BOTH, ALL_NEW, NOW + 67_000, m).release().message())
        .startsWith("baking: 13s left, 1 interval(s) passed; last bake: passed: canary error rate 0.00% (0/500)");

    Release promoted = ReleaseOperations.apply(ReleaseOperations.Op.PROMOTE, baking, Instant.ofEpochMilli(NOW + 6_000));
    assertThat(promoted.message()).isEqualTo("bake ended by operator: promoted");
    Decision skipped = plan(promoted, BOTH, ALL_NEW, NOW + 6_500, m);
    assertThat(skipped.release().message()).isEqualTo("bake skipped by the operator's promote after 1 interval(s) passed");
    assertThat(words(plan(skipped.release(), BOTH, ALL_NEW, NOW + 7_000, m))).hasSize(2);
  }

  /** A canary past its last step with its baseline recorded, 100% routed to it, stable still running. */
  static Release baked(MetricsView m) {
    Release created = created(CANARY, NOW - 60_000);
    return Bake.withBaseline(new PlanContext(spec(2), created, world("a:1:H, b:1:H", RouteSplits.single("shop", "1"),
        NOW - 50_000, m)), created, 20).withStep(1);
  }
}
