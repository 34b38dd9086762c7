package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.baton.common.bus.LatencyBuckets;
import dev.baton.common.bus.VersionMetrics;
import dev.baton.registry.fleet.TrafficSeries.Point;
import dev.baton.registry.fleet.TrafficSeries.Window;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway windows bucketed into one-second points per version, summed (histograms merged) across gateways. */
class TrafficSeriesTest {

  @Test
  void windowsOfTwoGatewaysInTheSameSecondAddUp() {
    TrafficSeries s = TrafficSeries.of(10_000, 13_000, List.of(
        new Window("gw-a", "1.0.0", 11_400, 30, 3, 10.0),
        new Window("gw-b", "1.0.0", 10_900, 10, 0, 50.0),
        new Window("gw-b", "2.0.0", 12_900, 5, 1, 8.0)));

    assertThat(s.gateways()).containsExactly("gw-a", "gw-b");
    assertThat(s.versions().keySet()).containsExactly("1.0.0", "2.0.0");
    assertThat(s.versions().get("1.0.0")).extracting(Point::t, Point::requests, Point::errors).containsExactly(
        tuple(11_000L, 10L, 0L), tuple(12_000L, 30L, 3L), tuple(13_000L, 0L, 0L));
    assertThat(s.versions().get("1.0.0")).extracting(Point::p99Ms).satisfiesExactly(
        p -> assertThat(p).isCloseTo(50.0, withinPercentage(5)), p -> assertThat(p).isCloseTo(10.0, withinPercentage(5)),
        p -> assertThat(p).isZero());
    assertThat(s.versions().get("2.0.0")).extracting(Point::t, Point::requests, Point::errors).containsExactly(
        tuple(11_000L, 0L, 0L), tuple(12_000L, 0L, 0L), tuple(13_000L, 5L, 1L));
    assertThat(s.versions().get("2.0.0").get(2).p99Ms()).isCloseTo(8.0, withinPercentage(5));
  }

  @Test
  void twoGatewaysInOneSecondGiveThePercentileOfTheirMergedHistograms() {
    long[] fast = new long[LatencyBuckets.COUNT];
    fast[LatencyBuckets.index(10_000)] = 99;
    long[] slow = new long[LatencyBuckets.COUNT];
    slow[LatencyBuckets.index(10_000)] = 96;
    slow[LatencyBuckets.index(400_000)] = 5;
    TrafficSeries s = TrafficSeries.of(0, 1000, List.of(
        new Window("a", "v", 400, 99, 0, 10.0, LatencyBuckets.sparse(fast)),
        new Window("b", "v", 900, 101, 0, 400.0, LatencyBuckets.sparse(slow))));
    Point p = s.versions().get("v").get(0);
    assertThat(p.requests()).isEqualTo(200);
    // 5 of 200 requests (2.5 %) took 400 ms: the p99 of the second is 400 ms, not a mean of the gateways' p99s.
    assertThat(p.p99Ms()).isCloseTo(400.0, withinPercentage(5));
    assertThat(s.lastSeconds("v", 10).p99Ms()).isCloseTo(400.0, withinPercentage(5));
  }

  @Test
  void aWindowEndingExactlyOnASecondCountsInThatSecondAndOutsideTheRangeNotAtAll() {
    TrafficSeries s = TrafficSeries.of(1000, 3000, List.of(
        new Window("a", "v", 1000, 7, 0, 1), new Window("a", "v", 2000, 2, 0, 1),
        new Window("a", "v", 3001, 9, 0, 1)));
    assertThat(s.versions().get("v")).extracting(Point::requests).containsExactly(2L, 0L);
    assertThat(TrafficSeries.secondOf(2000)).isEqualTo(2000);
    assertThat(TrafficSeries.secondOf(2001)).isEqualTo(3000);
  }

  @Test
  void aRangeWithoutWindowsHasNoVersionsAndNoGateways() {
    TrafficSeries s = TrafficSeries.of(0, 5000, List.of());
    assertThat(s.versions()).isEmpty();
    assertThat(s.gateways()).isEmpty();
  }

  @Test
  void lastSecondsSumsTheTailOnly() {
    TrafficSeries s = TrafficSeries.of(0, 3000, List.of(new Window("a", "v", 1000, 100, 50, 900),
        new Window("a", "v", 2000, 10, 1, 10), new Window("a", "v", 3000, 30, 0, 30)));
    Point last = s.lastSeconds("v", 2);
    assertThat(last.requests()).isEqualTo(40);
    assertThat(last.errors()).isEqualTo(1);
    // Windows without buckets (older gateways) count as their requests at their p99: 30 of 40 at 30 ms.
    assertThat(last.p99Ms()).isCloseTo(30.0, withinPercentage(5));
    assertThat(s.lastSeconds("unknown", 10).requests()).isZero();
  }

  @Test
  void theCollectorGivesOneAppsVersionsOnlyAndKeepsItsSumUnchanged() {
    Vertx vertx = Vertx.vertx();
    try {
      MetricsCollector c = new MetricsCollector(vertx, 900_000);
      c.add(new VersionMetrics("gw", 1000, 2000, List.of(
          new VersionMetrics.Entry("shop", "1.0.0", 10, 1, 0, 1, 2, 3),
          new VersionMetrics.Entry("shopping", "9.9.9", 99, 0, 0, 1, 2, 3))));
      c.add(new VersionMetrics("gw", 2000, 3000, List.of(new VersionMetrics.Entry("shop", "2.0.0", 4, 0, 0, 1, 2, 5))));

      TrafficSeries s = c.series("shop", 0, 3000);
      assertThat(s.versions().keySet()).containsExactly("1.0.0", "2.0.0");
      assertThat(s.versions().get("1.0.0")).extracting(Point::requests).containsExactly(0L, 10L, 0L);
      assertThat(s.versions().get("2.0.0")).extracting(Point::requests).containsExactly(0L, 0L, 4L);
      assertThat(c.sum("shop", "1.0.0", 0, 3000).requests()).isEqualTo(10);
    } finally {
      vertx.close();
    }
  }
}
