package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canary planner's warm-up allowance, its analysis history and the message saying why it waits. */
class CanaryWarmupAndHistoryTest {

  static final String WARM = "{\"type\":\"canary\",\"steps\":[{\"weight\":20},{\"weight\":100}],"
      + "\"analysis\":{\"minRequests\":10,\"intervalSeconds\":5,\"warmupSeconds\":15}}";
  static final RoutePolicy AT20 = RouteSplits.weighted("shop", "1", "2", 20, List.of(), null);
  static final RoutePolicy AT100 = RouteSplits.weighted("shop", "1", "2", 100, List.of(), null);
  static final String WORLD = "a:1:H, b:1:H, c:2:H";

  /** Records the windows asked for; the canary has {@code canary} requests and no errors, stable 200. */
  static final class Recording implements MetricsView {
    final List<long[]> asked = new ArrayList<>();
    long canary = 100;

    @Override
    public Sample sum(String app, String version, long from, long to) {
      asked.add(new long[] {from, to});
      return new Sample(version.equals("2") ? canary : 200, 0, 2);
    }
  }

  @Test
  void theFirstWarmupSecondsAfterNewCanaryInstancesGetTrafficAreLeftOutOfTheWindow() {
    Recording m = new Recording();
    Release r = release("1", "2", strategy(WARM));
    Decision started = Planners.plan(new PlanContext(spec(2), r, world(WORLD, AT20, NOW, m)));
    JsonObject an = started.release().progress().getJsonObject(Progress.ANALYSIS);
    assertThat(an.getLong("warmUntil")).isEqualTo(NOW + 15_000);
    assertThat(an.getInteger("canaryReady")).isEqualTo(1);

    Decision warming = Planners.plan(new PlanContext(spec(2), started.release(), world(WORLD, AT20, NOW + 10_000, m)));
    assertThat(m.asked).as("no interval is judged while warming up").isEmpty();
    assertThat(warming.release().message()).startsWith("step 1/2 (20%): warming up, analysis from");
    assertThat(Planners.plan(new PlanContext(spec(2), started.release(), world(WORLD, AT20, NOW + 19_000, m)))
        .release().progress().containsKey(Progress.ANALYSIS_HISTORY)).isFalse();

    Decision judged = Planners.plan(new PlanContext(spec(2), started.release(), world(WORLD, AT20, NOW + 20_000, m)));
    assertThat(m.asked.get(0)).containsExactly(NOW + 15_000, NOW + 20_000);
    JsonObject interval = judged.release().progress().getJsonArray(Progress.ANALYSIS_HISTORY).getJsonObject(0);
    assertThat(interval.getString("verdict")).isEqualTo("PASS");
    assertThat(interval.getLong("fromMs")).isEqualTo(NOW + 15_000);
    assertThat(interval.getLong("toMs")).isEqualTo(NOW + 20_000);
    assertThat(interval.getJsonObject("canary").getLong("requests")).isEqualTo(100);
    assertThat(interval.getInteger("step")).isZero();
  }

  @Test
  void aStepAt100PercentHasNoStableToCompareWithAndIsNotAnalysed() {
    Recording m = new Recording();
    Release r = PlanContext.with(release("1", "2", strategy(WARM)).withStep(1), Progress.STEP_STARTED_AT, NOW);
    Decision d = Planners.plan(new PlanContext(spec(2), r, world("a:1:H, b:1:H, c:2:H, a:2:H", AT100, NOW + 60_000, m)));
    assertThat(m.asked).isEmpty();
    assertThat(d.release().step()).as("went on to promotion").isEqualTo(2);
  }

  @Test
  void tooLittleTrafficSaysSoInTheMessageWithoutAHistoryEntryEachInterval() {
    Recording m = new Recording();
    m.canary = 9;
    Release r = PlanContext.with(release("1", "2", strategy(WARM)), Progress.STEP_STARTED_AT, NOW);
    Decision first = Planners.plan(new PlanContext(spec(2), r, world(WORLD, AT20, NOW + 5_000, m)));
    Decision waiting = Planners.plan(new PlanContext(spec(2), first.release(), world(WORLD, AT20, NOW + 5_500, m)));
    assertThat(waiting.blocked()).isTrue();
    assertThat(waiting.release().message()).isEqualTo("step 1/2 (20%): inconclusive: 9 canary requests, 10 needed");
    int entries = waiting.release().history().size();
    m.canary = 7;
    Decision second = Planners.plan(new PlanContext(spec(2), waiting.release(), world(WORLD, AT20, NOW + 10_000, m)));
    Decision still = Planners.plan(new PlanContext(spec(2), second.release(), world(WORLD, AT20, NOW + 10_500, m)));
    assertThat(still.release().message()).isEqualTo("step 1/2 (20%): inconclusive: 7 canary requests, 10 needed");
    assertThat(still.release().history()).hasSize(entries);
    assertThat(still.release().progress().getJsonArray(Progress.ANALYSIS_HISTORY)).hasSize(2);
  }

  @Test
  void theHistoryKeepsTheLastHundredIntervalsAndSurvivesPersistence() {
    Release r = release("1", "2", strategy(WARM));
    for (int i = 0; i < 130; i++) {
      r = AnalysisHistory.append(r, new JsonObject().put("toMs", i).put("verdict", "INCONCLUSIVE"));
    }
    JsonArray h = Release.fromJson(r.toJson()).progress().getJsonArray(Progress.ANALYSIS_HISTORY);
    assertThat(h).hasSize(AnalysisHistory.LIMIT);
    assertThat(h.getJsonObject(0).getLong("toMs")).isEqualTo(30);
    Release next = AnalysisHistory.append(r, new JsonObject().put("toMs", 130));
    assertThat(AnalysisHistory.added(r, next)).extracting(j -> j.getLong("toMs")).containsExactly(130L);
    assertThat(AnalysisHistory.added(release("1", "2", strategy(WARM)), r)).hasSize(AnalysisHistory.LIMIT);
    Release old = Release.fromJson(new JsonObject(release("1", "2", strategy(WARM)).toJson().encode()));
    assertThat(old.progress().getJsonArray(Progress.ANALYSIS_HISTORY)).as("persisted without it: none yet").isNull();
  }
}
