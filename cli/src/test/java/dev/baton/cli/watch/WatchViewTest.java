package dev.baton.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.io.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchViewTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String s) {
    return (Map<String, Object>) Json.parse(s);
  }

  private static final String RELEASE = "{\"id\":\"shop.1\",\"app\":\"shop\",\"fromVersion\":\"1.0.0\",\"toVersion\":\"2.0.0\","
      + "\"strategy\":{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":5},{\"weight\":50,\"pause\":\"manual\"},"
      + "{\"weight\":100}],\"analysis\":{\"intervalSeconds\":5,\"failureLimit\":2}},\"phase\":\"PAUSED\",\"step\":1,"
      + "\"message\":\"step 2: 50% to 2.0.0; paused until promote\","
      + "\"progress\":{\"stepStartedAt\":1000,\"analysis\":{\"lastAt\":6000,\"last\":\"passed: canary error rate 0.00%\",\"passes\":1}}}";

  private static final String VIEW = "{\"app\":\"shop\",\"status\":\"OK\",\"passing\":3,\"desired\":3,"
      + "\"route\":{\"split\":[{\"version\":\"1.0.0\",\"weight\":50},{\"version\":\"2.0.0\",\"weight\":50}]},"
      + "\"placement\":[{\"agent\":\"agent-1\",\"host\":\"LIVE\",\"instances\":[{\"id\":\"a\",\"version\":\"1.0.0\",\"status\":\"passing\",\"passing\":true},"
      + "{\"id\":\"b\",\"version\":\"2.0.0\",\"status\":\"critical\",\"passing\":false}]},"
      + "{\"agent\":\"agent-2\",\"host\":\"LIVE\",\"instances\":[{\"id\":\"c\",\"version\":\"2.0.0\",\"status\":\"passing\",\"passing\":true}]}]}";

  private static WatchModel model() {
    WatchModel m = new WatchModel("shop");
    m.view(json(VIEW));
    m.release(json(RELEASE));
    m.traffic(json("{\"t\":1000,\"versions\":[{\"version\":\"1.0.0\",\"requests\":30,\"errors\":0,\"p99Ms\":4.0},"
        + "{\"version\":\"2.0.0\",\"requests\":10,\"errors\":1,\"p99Ms\":7.0}]}"));
    m.traffic(json("{\"t\":2000,\"versions\":[{\"version\":\"1.0.0\",\"requests\":30,\"errors\":0,\"p99Ms\":5.0},"
        + "{\"version\":\"2.0.0\",\"requests\":10,\"errors\":0,\"p99Ms\":6.0}]}"));
    return m;
  }

  @Test
  void stepsMarkDoneCurrentAndComing() {
    assertThat(WatchView.steps(json(RELEASE))).isEqualTo("✓ 10% (5s)   ▶ 50% (manual)   · 100%   · finish");
  }

  @Test
  void trafficIsSummedOverTheWindowPerVersion() {
    Traffic.Figures f = model().traffic.figures().get("2.0.0");
    assertThat(f.rps()).isEqualTo(10.0);
    assertThat(f.errorRate()).isEqualTo(0.05);
    assertThat(f.p99Ms()).isEqualTo(7.0);
    assertThat(model().traffic.shares().get("1.0.0")).isEqualTo(75.0);
  }

  @Test
  void theScreenShowsWeightsTrafficInstancesAndVerdicts() {
    String screen = String.join("\n", WatchView.screen(model(), 0));
    assertThat(screen).contains("RELEASE  shop.1   canary 1.0.0 → 2.0.0   PAUSED")
        .contains("▶ 50% (manual)")
        .contains("2.0.0    ██████████░░░░░░░░░░  50%  █████░░░░░░░░░░░░░░░  25%")
        .contains("10.0   5.00%   7 ms")
        .contains("2.0.0    agent-1  LIVE  0/1")
        .contains("2.0.0    agent-2  LIVE  1/1")
        .contains("ANALYSIS every 5s: 1 passed, 0 failed (limit 2), 0 inconclusive")
        .contains("00:00:06  passed: canary error rate 0.00%");
  }

  @Test
  void factsAreOneLineEach() {
    Map<String, String> f = WatchView.facts(model());
    assertThat(f.get("release")).isEqualTo("release shop.1 PAUSED: step 2: 50% to 2.0.0; paused until promote");
    assertThat(f.get("route")).isEqualTo("route 1.0.0 50% · 2.0.0 50%");
    assertThat(f.get("instances")).isEqualTo("instances 1.0.0 1/1 passing, 2.0.0 1/2 passing");
    assertThat(f.get("traffic")).isEqualTo("traffic 1.0.0 30.0 req/s (75%) 0.00% errors p99 5 ms | 2.0.0 10.0 req/s (25%) 5.00% errors p99 7 ms");
    assertThat(f.get("verdict")).isEqualTo("analysis passed: canary error rate 0.00%");
  }

  @Test
  void theModelEndsWithTheReleaseAndAnalysisIsDueAfterItsInterval() {
    WatchModel m = model();
    assertThat(m.over()).isFalse();
    assertThat(m.analysisDueAt()).isEqualTo(11_000);
    m.release(json(RELEASE.replace("PAUSED", "ABORTED")));
    assertThat(m.over()).isTrue();
    assertThat(m.exitCode()).isEqualTo(1);
    m.release(json(RELEASE.replace("PAUSED", "SUCCEEDED")));
    assertThat(m.exitCode()).isZero();
    assertThat(WatchView.bar(12.5)).isEqualTo("██▌░░░░░░░░░░░░░░░░░");
  }

  @Test
  void everyAnalysisWindowOfTheReleaseIsAVerdictInOrder() {
    WatchModel m = model();
    String withHistory = RELEASE.replace("\"progress\":{", "\"progress\":{\"analysisHistory\":["
        + "{\"toMs\":7000,\"verdict\":\"INCONCLUSIVE\",\"reason\":\"inconclusive: 9 canary requests, 50 needed\"},"
        + "{\"toMs\":12000,\"verdict\":\"FAIL\",\"reason\":\"failed: canary error rate 30.93% (73/236)\"}],");
    m.release(json(withHistory));
    m.release(json(withHistory));
    assertThat(WatchView.facts(m).get("verdict")).isEqualTo("analysis failed: canary error rate 30.93% (73/236)");
    assertThat(m.verdicts).extracting(WatchModel.Verdict::text).containsExactly("passed: canary error rate 0.00%",
        "inconclusive: 9 canary requests, 50 needed", "failed: canary error rate 30.93% (73/236)");
  }
}
