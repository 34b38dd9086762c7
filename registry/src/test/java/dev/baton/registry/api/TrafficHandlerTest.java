package dev.baton.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.baton.registry.fleet.TrafficSeries;
import dev.baton.registry.fleet.TrafficSeries.Window;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON of GET /v1/apps/{app}/traffic and of one streamed second (docs/registry-api.md "Traffic"). */
class TrafficHandlerTest {

  @Test
  void theLastSecondShownEndedAtLeastTheGraceAgo() {
    assertThat(TrafficHandler.lastSecond(10_600)).isEqualTo(10_000);
    assertThat(TrafficHandler.lastSecond(10_599)).isEqualTo(9_000);
    assertThat(TrafficHandler.lastSecond(11_000)).isEqualTo(10_000);
  }

  @Test
  void last10sIsTheRateOfTheLastTenPointsOnly() {
    List<Window> windows = new ArrayList<>();
    for (int s = 1; s <= 20; s++) {
      // 100 req/s in the first ten seconds, 10 req/s with 1 error each in the last ten
      windows.add(new Window("gw", "1.0.0", s * 1000L, s <= 10 ? 100 : 10, s <= 10 ? 0 : 1, s <= 10 ? 90 : 30));
    }
    JsonObject body = TrafficHandler.toJson("shop", 20_700, TrafficSeries.of(0, 20_000, windows));

    assertThat(body.getString("app")).isEqualTo("shop");
    assertThat(body.getLong("now")).isEqualTo(20_700);
    assertThat(body.getInteger("stepMs")).isEqualTo(1000);
    assertThat(body.getJsonArray("gateways")).containsExactly("gw");
    JsonObject v = body.getJsonArray("versions").getJsonObject(0);
    assertThat(v.getJsonArray("series")).hasSize(20);
    JsonObject point = v.getJsonArray("series").getJsonObject(19);
    assertThat(point.copy().put("p99Ms", 0))
        .isEqualTo(new JsonObject().put("t", 20_000L).put("requests", 10L).put("errors", 1L).put("p99Ms", 0));
    // p99 is read from the latency histogram, whose buckets hold a value within 5% (LatencyBuckets)
    assertThat(point.getDouble("p99Ms")).isCloseTo(30.0, withinPercentage(5));
    JsonObject last = v.getJsonObject("last10s");
    assertThat(last.getDouble("rps")).isEqualTo(10.0);
    assertThat(last.getDouble("errorRate")).isEqualTo(0.1);
    assertThat(last.getDouble("p99Ms")).isCloseTo(30.0, withinPercentage(5));
  }

  @Test
  void aStreamedSecondListsEachVersionsCountsOfThatSecond() {
    JsonObject e = TrafficHandler.event(TrafficSeries.of(4_000, 5_000, List.of(
        new Window("a", "2.0.0", 4_500, 3, 1, 12), new Window("b", "1.0.0", 4_900, 7, 0, 8))));
    io.vertx.core.json.JsonArray versions = e.getJsonArray("versions");
    assertThat(e.getLong("t")).isEqualTo(5_000L);
    assertThat(versions.getJsonObject(0).copy().put("p99Ms", 0)).isEqualTo(new JsonObject().put("version", "1.0.0")
        .put("requests", 7L).put("errors", 0L).put("p99Ms", 0));
    assertThat(versions.getJsonObject(1).copy().put("p99Ms", 0)).isEqualTo(new JsonObject().put("version", "2.0.0")
        .put("requests", 3L).put("errors", 1L).put("p99Ms", 0));
    assertThat(versions.getJsonObject(0).getDouble("p99Ms")).isCloseTo(8.0, withinPercentage(5));
    assertThat(versions.getJsonObject(1).getDouble("p99Ms")).isCloseTo(12.0, withinPercentage(5));
    assertThat(versions).hasSize(2);
  }
}
