package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** bakeSeconds on canary and blue-green, and an analysis's Prometheus queries, read strictly (docs/registry-api.md). */
class BakeAndPrometheusFieldsTest {

  static final String PROM = """
      "prometheus": {"url": "http://prom:9090/", "queries": [
        {"name": "errors", "query": "sum(rate(x{app=\\"{{app}}\\",version=\\"{{canary}}\\"}[{{interval}}]))", "max": 0.05},
        {"name": "up", "query": "up", "min": 1, "max": 1}]}""";

  @Test
  void bakeAndPrometheusRoundTripAndOlderStrategiesLoadWithoutThem() {
    CanaryStrategy c = (CanaryStrategy) Strategy.fromJson(new JsonObject("""
        {"type": "canary", "steps": [{"weight": 100}], "bakeSeconds": 600, "analysis": {%s}}""".formatted(PROM)));
    assertThat(c.bakeSeconds()).isEqualTo(600);
    assertThat(c.analysis().prometheus().url()).as("a trailing slash is dropped").isEqualTo("http://prom:9090");
    assertThat(c.analysis().prometheus().queries()).extracting(PrometheusCheck.Query::name).containsExactly("errors", "up");
    assertThat(c.analysis().prometheus().queries().get(0).min()).isNull();
    assertThat(Strategy.fromJson(c.toJson())).isEqualTo(c);
    BlueGreenStrategy bg = (BlueGreenStrategy) Strategy.fromJson(new JsonObject("""
        {"type": "blue-green", "bakeSeconds": 60, "analysis": {"intervalSeconds": 10}}"""));
    assertThat(bg.bakeSeconds()).isEqualTo(60);
    assertThat(bg.analysis().intervalSeconds()).isEqualTo(10);
    assertThat(Strategy.fromJson(bg.toJson())).isEqualTo(bg);
    assertThat(((CanaryStrategy) Strategy.fromJson(new JsonObject("{\"type\":\"canary\",\"steps\":[{\"weight\":5}]}")))
        .bakeSeconds()).isZero();
    BlueGreenStrategy old = (BlueGreenStrategy) Strategy.fromJson(new JsonObject("{\"type\":\"blue-green\"}"));
    assertThat(old.bakeSeconds()).isZero();
    assertThat(old.analysis()).isNull();
  }

  @Test
  void queriesAreRenderedWithTheReleaseNames() {
    assertThat(PrometheusCheck.render("rate(x{app=\"{{app}}\",v=~\"{{canary}}|{{stable}}\"}[{{interval}}])", "shop",
        "2.0.0", "1.0.0", 5)).isEqualTo("rate(x{app=\"shop\",v=~\"2.0.0|1.0.0\"}[5s])");
    assertThat(PrometheusCheck.render("{{stable}}", "a", "1", null, 1)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      negative bake              | {"type": "canary", "steps": [{"weight": 10}], "bakeSeconds": -1} | bakeSeconds
      bake over a day            | {"type": "blue-green", "bakeSeconds": 86401} | bakeSeconds
      blue-green analysis alone  | {"type": "blue-green", "analysis": {}} | analysis
      ftp url                    | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "ftp://p", "queries": [{"name": "a", "query": "up", "min": 1}]}}} | analysis.prometheus.url
      no url                     | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"queries": [{"name": "a", "query": "up", "min": 1}]}}} | analysis.prometheus.url
      no queries                 | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "http://p:9090", "queries": []}}} | analysis.prometheus.queries
      no bounds                  | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "http://p:9090", "queries": [{"name": "a", "query": "up"}]}}} | analysis.prometheus.queries[0].max
      min over max               | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "http://p:9090", "queries": [{"name": "a", "query": "up", "min": 2, "max": 1}]}}} | analysis.prometheus.queries[0].min
      blank query                | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "http://p:9090", "queries": [{"name": "a", "query": " ", "min": 1}]}}} | analysis.prometheus.queries[0].query
      same name twice            | {"type": "canary", "steps": [{"weight": 10}], "analysis": {"prometheus": {"url": "http://p:9090", "queries": [{"name": "a", "query": "up", "min": 1}, {"name": "a", "query": "up", "max": 1}]}}} | analysis.prometheus.queries[1].name
      """)
  void rejectsBadBakeOrPrometheus(String why, String json, String field) {
    assertThatThrownBy(() -> Strategy.fromJson(new JsonObject(json)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
  }

  @Test
  void aMisspeltQueryFieldIsRefusedWithTheNearestName() {
    assertThatThrownBy(() -> ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "strategy": {"type": "canary", "steps": [{"weight": 10}], "bakeSecond": 5,
         "analysis": {"prometheus": {"url": "http://p:9090", "queries": [{"name": "a", "query": "up", "min": 0, "maxx": 1}]}}}}""")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::message)
            .anySatisfy(m -> assertThat(m).contains("did you mean \"bakeSeconds\""))
            .anySatisfy(m -> assertThat(m).contains("did you mean \"max\"")));
  }
}
