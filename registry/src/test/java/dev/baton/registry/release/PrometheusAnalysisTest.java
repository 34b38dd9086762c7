package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.PrometheusCheck;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An interval's Prometheus part and how it joins the baseline test (docs/registry-api.md, "Canary analysis"). */
class PrometheusAnalysisTest {

  static final PrometheusCheck CHECK = new PrometheusCheck("http://p:9090", List.of(
      new PrometheusCheck.Query("errors", "e", null, 0.05), new PrometheusCheck.Query("up", "u", 1.0, null)));

  /** {@code value}: a number, {@code empty} (no sample), {@code NaN}, {@code error} or {@code missing}. */
  static PrometheusReadings.Reading reading(String v) {
    return switch (v) {
      case "empty" -> new PrometheusReadings.Reading(null, null);
      case "error" -> new PrometheusReadings.Reading(null, "Prometheus refused the query (execution: boom)");
      case "missing" -> null;
      default -> new PrometheusReadings.Reading(Double.valueOf(v), null);
    };
  }

  @ParameterizedTest(name = "errors={0} up={1} asked at {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      0.01    | 1       | 2000 | PASS         | prometheus errors = 0.01 within [-, 0.05], up = 1 within [1, -]
      0.3     | 1       | 2000 | FAIL         | prometheus errors = 0.3 is outside [-, 0.05]
      0.01    | 0       | 2000 | FAIL         | prometheus up = 0 is outside [1, -]
      empty   | 1       | 2000 | INCONCLUSIVE | prometheus errors returned no sample
      NaN     | 1       | 2000 | INCONCLUSIVE | prometheus errors returned no sample
      0.01    | error   | 2000 | FAIL         | prometheus up: Prometheus refused the query (execution: boom)
      0.01    | 1       | 1000 | INCONCLUSIVE | prometheus errors: no answer from Prometheus in this window yet, up: no answer
      """)
  void eachQueryIsJudgedByItsBounds(String errors, String up, long at, String outcome, String reason) {
    Map<String, PrometheusReadings.Reading> m = new HashMap<>();
    m.put("errors", reading(errors));
    m.put("up", reading(up));
    CanaryAnalysis.Verdict v = PrometheusAnalysis.judge(CHECK, new PrometheusReadings(at, m), 1000);
    assertThat(v.outcome().name()).isEqualTo(outcome);
    assertThat(v.reason()).startsWith(reason);
    assertThat(v.figures().getJsonArray("prometheus")).hasSize(2);
  }

  @Test
  void eitherFailingFailsEitherInconclusiveIsInconclusiveAndTheFiguresKeepBoth() {
    CanaryAnalysis.Verdict base = new CanaryAnalysis.Verdict(CanaryAnalysis.Outcome.PASS, "passed: rates",
        new JsonObject().put("canary", new JsonObject()).put("verdict", "PASS"));
    CanaryAnalysis.Verdict bad = PrometheusAnalysis.judge(CHECK, new PrometheusReadings(2000,
        Map.of("errors", reading("0.3"), "up", reading("1"))), 1000);
    CanaryAnalysis.Verdict both = PrometheusAnalysis.combine(base, bad);
    assertThat(both.outcome()).isEqualTo(CanaryAnalysis.Outcome.FAIL);
    assertThat(both.reason()).isEqualTo("failed: prometheus errors = 0.3 is outside [-, 0.05] (baseline test passed: rates)");
    assertThat(both.figures().getString("verdict")).isEqualTo("FAIL");
    assertThat(both.figures().containsKey("canary")).isTrue();
    assertThat(both.figures().getJsonArray("prometheus").getJsonObject(0).getDouble("value")).isEqualTo(0.3);
    CanaryAnalysis.Verdict good = PrometheusAnalysis.judge(CHECK, new PrometheusReadings(2000,
        Map.of("errors", reading("0"), "up", reading("1"))), 1000);
    assertThat(PrometheusAnalysis.combine(base, good).reason()).startsWith("passed: rates; prometheus errors = 0 within");
    CanaryAnalysis.Verdict few = new CanaryAnalysis.Verdict(CanaryAnalysis.Outcome.INCONCLUSIVE, "inconclusive: 3 canary"
        + " requests, 50 needed", new JsonObject());
    assertThat(PrometheusAnalysis.combine(few, good).outcome()).isEqualTo(CanaryAnalysis.Outcome.INCONCLUSIVE);
    assertThat(PrometheusAnalysis.combine(few, bad).outcome()).isEqualTo(CanaryAnalysis.Outcome.FAIL);
  }
}
