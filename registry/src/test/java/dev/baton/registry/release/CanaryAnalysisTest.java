package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.baton.common.model.Analysis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The interval decision and its statistics, as tables (docs/registry-api.md, "Canary analysis"). */
class CanaryAnalysisTest {

  static final Analysis DEFAULTS = Analysis.defaults();
  static final Analysis CEILING = new Analysis(0.05, 0.01, 0.95, 1.5, 25, 50, 5, 2, 15);

  @ParameterizedTest(name = "{0}: canary {2}/{1}, stable {4}/{3}, p99 {5} vs {6} ms -> {7}")
  @CsvSource(delimiter = '|', value = {
      "too few canary requests       |    9 |   0 |   500 |   0 |   2 |   2 | INCONCLUSIVE | inconclusive: 9 canary requests, 50 needed",
      "too few stable requests       |  100 |   0 |    20 |   0 |   2 |   2 | INCONCLUSIVE | inconclusive: 20 stable requests to compare with, 50 needed",
      "same code, no errors          |  100 |   0 |   400 |   0 |   4 |   2 | PASS         | passed",
      "one error is noise            |  100 |   1 |   400 |   0 |   2 |   2 | PASS         | passed",
      "1 of 60 vs 0 of 600 is noise  |   60 |   1 |   600 |   0 |   2 |   2 | PASS         | passed",
      "6 of 60 vs 0 of 600 is not    |   60 |   6 |   600 |   0 |   2 |   2 | FAIL         | failed: canary error rate 10.00% (6/60) vs stable 0.00%",
      "30% vs 0.5%                   |  100 |  30 |   400 |   2 |   2 |   2 | FAIL         | failed: canary error rate 30.00%",
      "40% vs 40%: not the canary's  |  200 |  80 |   200 |  80 |   2 |   2 | PASS         | passed",
      "sure but under one point      |10000 | 150 | 10000 | 100 |   2 |   2 | PASS         | +0.50 points",
      "sure and 1.5 points more      |10000 | 250 | 10000 | 100 |   2 |   2 | FAIL         | +1.50 points",
      "p99 3x and 200 ms more        |  100 |   0 |   400 |   0 | 300 | 100 | FAIL         | failed: canary p99 300.0 ms vs 100.0 ms",
      "p99 2x but 20 ms more (floor) |  100 |   0 |   400 |   0 |  40 |  20 | PASS         | passed",
      "p99 30 ms more but 1.4x       |  100 |   0 |   400 |   0 | 105 |  75 | PASS         | passed",
      "cold JVM: 4 ms vs 2 ms        |   50 |   0 |   200 |   0 |   4 |   2 | PASS         | passed",
  })
  void withTheDefaults(String why, long n, long e, long sn, long se, double p99, double sp99,
                       CanaryAnalysis.Outcome outcome, String reason) {
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(DEFAULTS, new MetricsView.Sample(n, e, p99),
        new MetricsView.Sample(sn, se, sp99));
    assertThat(v.outcome()).as(v.reason()).isEqualTo(outcome);
    assertThat(v.reason()).contains(reason);
    assertThat(v.figures().getString("verdict")).isEqualTo(outcome.name());
  }

  @ParameterizedTest(name = "ceiling 5%: canary {1}/{0}, stable {3}/{2} -> {4}")
  @CsvSource({
      "200, 80, 200, 80, FAIL",
      "9, 9, 500, 0, INCONCLUSIVE",
      "100, 20, 10, 2, FAIL",
      "100, 4, 400, 16, PASS",
  })
  void anAbsoluteCeilingFailsWhateverStableDoes(long n, long e, long sn, long se, CanaryAnalysis.Outcome outcome) {
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(CEILING, new MetricsView.Sample(n, e, 2),
        new MetricsView.Sample(sn, se, 2));
    assertThat(v.outcome()).as(v.reason()).isEqualTo(outcome);
  }

  @Test
  void theFiguresOfAnIntervalAreAllThere() {
    JsonObject f = CanaryAnalysis.evaluate(DEFAULTS, new MetricsView.Sample(100, 30, 3, 12),
        new MetricsView.Sample(400, 2, 2, 10)).figures();
    assertThat(f.getJsonObject("canary").getLong("requests")).isEqualTo(100);
    assertThat(f.getJsonObject("canary").getDouble("errorRate")).isEqualTo(0.3);
    assertThat(f.getJsonObject("stable").getDouble("p99Ms")).isEqualTo(10.0);
    assertThat(f.getString("test")).isEqualTo("z");
    assertThat(f.getDouble("z")).isGreaterThan(8);
    assertThat(f.getDouble("pValue")).isLessThan(0.0001);
    assertThat(f.getDouble("errorRateIncrease")).isCloseTo(0.295, within(1e-9));
    assertThat(f.getString("reason")).startsWith("failed:");
  }

  @ParameterizedTest(name = "p99 {0} vs {1} ms -> regressed {2}")
  @CsvSource({"4, 2, false", "26, 1, false", "27, 1, true", "30, 10, false", "36, 10, true", "1000, 700, false", "1100, 700, true",
      "50, 0, false"})
  void latencyNeedsTheRatioAndTheFloor(double canary, double stable, boolean regressed) {
    assertThat(CanaryAnalysis.latencyRegressed(DEFAULTS, canary, stable)).isEqualTo(regressed);
  }

  @ParameterizedTest(name = "canary {0}/{1} vs stable {2}/{3}: {4} test, p = {5}")
  @CsvSource({
      // z-tests, checked against R's prop.test(correct = FALSE, alternative = "greater")
      "250, 10000, 100, 10000, z,     0.0000000",
      "150, 10000, 100, 10000, z,     0.0007",
      "110, 10000, 100, 10000, z,     0.2439",
      "100, 10000, 100, 10000, z,     0.5",
      // small counts: Fisher's exact one-sided test
      "3, 3, 0, 3,                 exact, 0.05",
      "2, 60, 0, 600,              exact, 0.0081",
      "1, 60, 0, 600,              exact, 0.0909",
      "0, 50, 0, 500,              exact, 1",
  })
  void oneSidedTests(long x1, long n1, long x2, long n2, String test, double p) {
    ErrorRateTest.Result r = ErrorRateTest.higher(x1, n1, x2, n2);
    assertThat(r.test()).isEqualTo(test);
    assertThat(r.pValue()).isCloseTo(p, within(0.0005));
  }

  @Test
  void theNormalTailIsAccurate() {
    assertThat(ErrorRateTest.upperNormal(1.6448536)).isCloseTo(0.05, within(1e-6));
    assertThat(ErrorRateTest.upperNormal(1.959964)).isCloseTo(0.025, within(1e-6));
    assertThat(ErrorRateTest.upperNormal(-1.959964)).isCloseTo(0.975, within(1e-6));
    assertThat(ErrorRateTest.logChoose(100, 50)).isCloseTo(Math.log(1.0089134454556417e29), within(1e-9));
  }
}
