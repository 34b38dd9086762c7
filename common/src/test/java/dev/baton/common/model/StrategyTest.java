package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategyTest {

  @Test
  void designExamplesParseAndRoundTrip() {
    String[] examples = {
        """
        {"type": "rolling", "mode": "surge", "maxSurge": 1, "maxUnavailable": 0, "minHealthySeconds": 0}""",
        """
        {"type": "rolling", "mode": "in-place", "maxUnavailable": 1}""",
        """
        {"type": "blue-green", "preview": {"header": "X-Baton-Preview", "equals": "green"},
         "autoPromoteSeconds": null, "scaleDownDelaySeconds": 300}""",
        """
        {"type": "canary", "steps": [{"weight": 10, "pauseSeconds": 30}, {"weight": 50, "pause": "manual"}, {"weight": 100}],
         "sticky": {"header": "X-User-Id"},
         "analysis": {"maxErrorRate": 0.01, "maxP99Ratio": 1.5, "minRequests": 50, "intervalSeconds": 5, "failureLimit": 2}}""",
        """
        {"type": "canary", "steps": [{"weight": 20, "pauseSeconds": 10}, {"weight": 100}],
         "analysis": {"maxErrorRateIncrease": 0.02, "confidence": 0.99, "minP99IncreaseMs": 50, "warmupSeconds": 0}}""",
        """
        {"type": "canary", "steps": [{"weight": 50}], "progressDeadlineSeconds": 120, "minHealthySeconds": 10}""",
        """
        {"type": "blue-green", "progressDeadlineSeconds": 86400, "minHealthySeconds": 3600}"""};
    for (String example : examples) {
      Strategy s = Strategy.fromJson(new JsonObject(example));
      assertThat(Strategy.fromJson(s.toJson())).isEqualTo(s);
    }
  }

  @Test
  void everyStrategyTakesTheTimingFieldsAndAReleasePersistedWithoutThemLoadsWithTheDefaults() {
    for (String type : new String[] {"rolling", "blue-green", "canary"}) {
      JsonObject json = new JsonObject().put("type", type).put("progressDeadlineSeconds", 90).put("minHealthySeconds", 7);
      if (type.equals("canary")) {
        json.put("steps", new io.vertx.core.json.JsonArray().add(new JsonObject().put("weight", 100)));
      }
      Strategy s = Strategy.fromJson(json);
      assertThat(s.timing()).as(type).isEqualTo(new StrategyTiming(90, 7));
      assertThat(s.toJson().getInteger("progressDeadlineSeconds")).as(type).isEqualTo(90);
      json.remove("progressDeadlineSeconds");
      json.remove("minHealthySeconds");
      Strategy old = Strategy.fromJson(json);
      assertThat(old.timing()).as(type).isEqualTo(StrategyTiming.DEFAULT);
      assertThat(old.toJson().containsKey("progressDeadlineSeconds")).as(type + " shows the deadline as null").isTrue();
    }
  }

  @Test
  void canaryStepsKeepPauseKinds() {
    CanaryStrategy c = (CanaryStrategy) Strategy.fromJson(new JsonObject("""
        {"type": "canary", "steps": [{"weight": 10, "pauseSeconds": 30}, {"weight": 50, "pause": "manual"}, {"weight": 100}]}"""));
    assertThat(c.steps()).containsExactly(new CanaryStep(10, 30, false), new CanaryStep(50, null, true),
        new CanaryStep(100, null, false));
    assertThat(c.analysis()).isNull();
  }

  @Test
  void defaultsFillTheGaps() {
    assertThat(Strategy.fromJson(new JsonObject("{\"type\":\"rolling\"}"))).isEqualTo(RollingStrategy.defaults());
    BlueGreenStrategy bg = (BlueGreenStrategy) Strategy.fromJson(new JsonObject("{\"type\":\"blue-green\"}"));
    assertThat(bg.preview()).isEqualTo(BlueGreenStrategy.DEFAULT_PREVIEW);
    assertThat(bg.scaleDownDelaySeconds()).isEqualTo(300);
    assertThat(ReleaseRequest.fromJson(new JsonObject("{\"version\":\"2.0.0\"}")).strategy())
        .isEqualTo(RollingStrategy.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown type               | {"type": "big-bang"}                                                      | type
      missing type               | {}                                                                        | type
      unknown rolling mode       | {"type": "rolling", "mode": "sideways"}                                   | mode
      surge and unavailable 0    | {"type": "rolling", "maxSurge": 0, "maxUnavailable": 0}                   | maxSurge
      negative surge             | {"type": "rolling", "maxSurge": -1}                                       | maxSurge
      fractional surge           | {"type": "rolling", "maxSurge": 1.5}                                      | maxSurge
      in-place without room      | {"type": "rolling", "mode": "in-place", "maxUnavailable": 0}              | maxUnavailable
      negative min healthy       | {"type": "rolling", "minHealthySeconds": -5}                              | minHealthySeconds
      deadline below 10 s        | {"type": "rolling", "progressDeadlineSeconds": 5}                         | progressDeadlineSeconds
      deadline over a day        | {"type": "canary", "steps": [{"weight": 10}], "progressDeadlineSeconds": 86401} | progressDeadlineSeconds
      fractional deadline        | {"type": "blue-green", "progressDeadlineSeconds": 60.5}                   | progressDeadlineSeconds
      canary min healthy > 1 h   | {"type": "canary", "steps": [{"weight": 10}], "minHealthySeconds": 3601}  | minHealthySeconds
      negative bg min healthy    | {"type": "blue-green", "minHealthySeconds": -1}                           | minHealthySeconds
      deadline within min healthy | {"type": "canary", "steps": [{"weight": 10}], "minHealthySeconds": 60, "progressDeadlineSeconds": 60} | progressDeadlineSeconds
      preview without equals     | {"type": "blue-green", "preview": {"header": "X-P"}}                      | preview.equals
      negative scale-down delay  | {"type": "blue-green", "scaleDownDelaySeconds": -1}                       | scaleDownDelaySeconds
      no steps                   | {"type": "canary"}                                                        | steps
      empty steps                | {"type": "canary", "steps": []}                                           | steps
      zero weight step           | {"type": "canary", "steps": [{"weight": 0}]}                              | steps[0].weight
      step over 100              | {"type": "canary", "steps": [{"weight": 120}]}                            | steps[0].weight
      decreasing steps           | {"type": "canary", "steps": [{"weight": 50}, {"weight": 10}]}             | steps[1].weight
      unknown pause keyword      | {"type": "canary", "steps": [{"weight": 10, "pause": "forever"}]}         | steps[0].pause
      both pause kinds           | {"type": "canary", "steps": [{"weight": 10, "pause": "manual", "pauseSeconds": 3}]} | steps[0].pause
      error rate above 1         | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"maxErrorRate": 2}} | analysis.maxErrorRate
      p99 ratio below 1          | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"maxP99Ratio": 0.5}} | analysis.maxP99Ratio
      zero min requests          | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"minRequests": 0}} | analysis.minRequests
      zero failure limit         | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"failureLimit": 0}} | analysis.failureLimit
      confidence of a coin       | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"confidence": 0.3}} | analysis.confidence
      confidence of 1            | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"confidence": 1}} | analysis.confidence
      negative increase          | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"maxErrorRateIncrease": -0.1}} | analysis.maxErrorRateIncrease
      negative p99 floor         | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"minP99IncreaseMs": -1}} | analysis.minP99IncreaseMs
      fractional warm-up         | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"warmupSeconds": 1.5}} | analysis.warmupSeconds
      """)
  void rejectsBadStrategy(String why, String json, String field) {
    assertThatThrownBy(() -> Strategy.fromJson(new JsonObject(json)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
  }

  @Test
  void releaseRequestNamesNestedStrategyFields() {
    assertThatThrownBy(() -> ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0 beta", "strategy": {"type": "canary", "steps": [{"weight": 10}, {"weight": 5}]}}""")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(FieldError::field).containsExactlyInAnyOrder("version", "strategy.steps[1].weight"));
  }
}
