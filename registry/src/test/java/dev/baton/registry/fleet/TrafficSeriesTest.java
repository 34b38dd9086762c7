package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.VersionMetrics;
import dev.baton.registry.fleet.TrafficSeries.Point;
import dev.baton.registry.fleet.TrafficSeries.Window;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway windows bucketed into one-second points per version, summed across gateways. */
class TrafficSeriesTest {

  @Test
  void windowsOfTwoGatewaysInTheSameSecondAddUpAndP99IsWeightedByRequests() {
    TrafficSeries s = TrafficSeries.of(10_000, 13_000, List.of(
        new Window("gw-a", "1.0.0", 11_400, 30, 3, 10.0),
        new Window("gw-b", "1.0.0", 10_900, 10, 0, 50.0),
        new Window("gw-b", "2.0.0", 12_900, 5, 1, 8.0)));

    assertThat(s.gateways()).containsExactly("gw-a", "gw-b");
    assertThat(s.versions().keySet()).containsExactly("1.0.0", "2.0.0");
    assertThat(s.versions().get("1.0.0")).containsExactly(
        new Point(11_000, 10, 0, 50.0), new Point(12_000, 30, 3, 10.0), new Point(13_000, 0, 0, 0));
    assertThat(s.versions().get("2.0.0")).containsExactly(
        new Point(11_000, 0, 0, 0), new Point(12_000, 0, 0, 0), new Point(13_000, 5, 1, 8.0));
  }

  @Test
  void twoGatewaysInOneSecondGiveTheRequestWeightedP99() {
    TrafficSeries s = TrafficSeries.of(0, 1000, List.of(
        new Window("a", "v", 400, 30, 0, 10.0), new Window("b", "v", 900, 10, 0, 50.0)));
    assertThat(s.versions().get("v")).containsExactly(new Point(1000, 40, 0, 20.0));
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
    assertThat(last.p99Ms()).isEqualTo(25.0);
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
