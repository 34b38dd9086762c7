package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {

  private static final String VALID = """
      {"app": "shop", "revision": 7,
       "split": [{"version": "1.0.0", "weight": 90}, {"version": "2.0.0", "weight": 10}],
       "rules": [{"match": {"header": "X-Baton-Preview", "equals": "green"}, "version": "2.0.0"}],
       "sticky": {"header": "X-User-Id"},
       "mirror": null}""";

  @Test
  void designExampleRoundTrips() {
    RoutePolicy p = RoutePolicy.fromJson(new JsonObject(VALID));
    assertThat(p.revision()).isEqualTo(7);
    assertThat(p.split()).extracting(WeightedVersion::basisPoints).containsExactly(9000, 1000);
    assertThat(p.rules().get(0).match()).isEqualTo(new Match(Match.Source.HEADER, "X-Baton-Preview", "green"));
    assertThat(p.sticky()).isEqualTo(new Sticky(Match.Source.HEADER, "X-User-Id"));
    assertThat(RoutePolicy.fromJson(p.toJson())).isEqualTo(p);
  }

  @Test
  void twoDecimalWeightsSumExactly() {
    RoutePolicy p = RoutePolicy.fromJson(new JsonObject("""
        {"app": "a", "split": [{"version": "1", "weight": 33.33}, {"version": "2", "weight": 33.33},
                               {"version": "3", "weight": 33.34}]}"""));
    assertThat(p.split()).extracting(WeightedVersion::basisPoints).containsExactly(3333, 3333, 3334);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad app name         | {"app": "Shop!", "split": [{"version": "1", "weight": 100}]}                              | app
      missing split        | {"app": "a"}                                                                                | split
      empty split          | {"app": "a", "split": []}                                                                   | split
      bad version          | {"app": "a", "split": [{"version": "../x", "weight": 100}]}                                | split[0].version
      weight above 100     | {"app": "a", "split": [{"version": "1", "weight": 101}]}                                   | split[0].weight
      negative weight      | {"app": "a", "split": [{"version": "1", "weight": -1}, {"version": "2", "weight": 101}]}   | split[0].weight
      three decimals       | {"app": "a", "split": [{"version": "1", "weight": 99.999}, {"version": "2", "weight": 0.001}]} | split[0].weight
      weight not a number  | {"app": "a", "split": [{"version": "1", "weight": "100"}]}                                 | split[0].weight
      sum below 100        | {"app": "a", "split": [{"version": "1", "weight": 50}, {"version": "2", "weight": 40}]}    | split
      duplicate version    | {"app": "a", "split": [{"version": "1", "weight": 50}, {"version": "1", "weight": 50}]}    | split
      rule with two keys   | {"app": "a", "split": [{"version": "1", "weight": 100}], "rules": [{"match": {"header": "h", "cookie": "c", "equals": "x"}, "version": "1"}]} | rules[0].match.header
      rule without equals  | {"app": "a", "split": [{"version": "1", "weight": 100}], "rules": [{"match": {"query": "q"}, "version": "1"}]} | rules[0].match.equals
      bad sticky           | {"app": "a", "split": [{"version": "1", "weight": 100}], "sticky": {"query": "u"}}         | sticky.header
      mirror over 100      | {"app": "a", "split": [{"version": "1", "weight": 100}], "mirror": {"version": "2", "percent": 150}} | mirror.percent
      negative revision    | {"app": "a", "revision": -3, "split": [{"version": "1", "weight": 100}]}                   | revision
      """)
  void rejectsBadPolicy(String why, String json, String field) {
    assertThatThrownBy(() -> RoutePolicy.fromJson(new JsonObject(json)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
  }

  @Test
  void reportsEveryErrorAtOnce() {
    ValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
        () -> RoutePolicy.fromJson(new JsonObject("""
            {"app": "NO", "split": [{"version": "", "weight": 200}], "sticky": {}}""")));
    assertThat(e.errors()).extracting(FieldError::field)
        .containsAll(List.of("app", "split[0].version", "split[0].weight", "sticky.header"));
    JsonObject body = e.toApiError().toJson();
    assertThat(body.getString("error")).isEqualTo("invalid_request");
    assertThat(body.getString("message")).contains("app").contains("split[0].weight");
  }
}
