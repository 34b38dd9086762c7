package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.baton.common.bus.LatencyBuckets;
import dev.baton.common.bus.VersionMetrics;
import dev.baton.registry.release.MetricsView;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector's window sums: counters add up and p99 is read from the histograms merged across gateways. */
class MergedLatencyTest {

  private Vertx vertx;
  private MetricsCollector collector;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    collector = new MetricsCollector(vertx, 900_000);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void twoGatewaysWithDifferentShapesGiveTheTrueP99OfTheUnionWhereTheMeanOfP99sWasTenTimesTooLow() {
    // gw-a: 1000 requests spread evenly over 1..10 ms (its own p99 ≈ 9.9 ms).
    long[] a = new long[LatencyBuckets.COUNT];
    for (int i = 0; i < 1000; i++) {
      a[LatencyBuckets.index(1000 + i * 9)]++;
    }
    // gw-b: 100 requests, 80 at 5 ms and 20 stuck at 800 ms behind a slow dependency (its own p99 = 800 ms).
    long[] b = new long[LatencyBuckets.COUNT];
    b[LatencyBuckets.index(5000)] = 80;
    b[LatencyBuckets.index(800_000)] = 20;
    double p99a = LatencyBuckets.percentileMs(a, 99);
    double p99b = LatencyBuckets.percentileMs(b, 99);
    collector.add(new VersionMetrics("gw-a", 0, 1000, List.of(entry(1000, a, p99a))));
    collector.add(new VersionMetrics("gw-b", 100, 1100, List.of(entry(100, b, p99b))));

    MetricsView.Sample s = collector.sum("shop", "2.0.0", 0, 2000);
    // The union: 1100 requests of which 20 (1.8 %) took 800 ms, so its p99 is 800 ms.
    assertThat(s.requests()).isEqualTo(1100);
    assertThat(s.p99Ms()).isCloseTo(800.0, withinPercentage(5));
    assertThat(s.p50Ms()).isBetween(4.0, 6.5);
    double oldMean = (p99a * 1000 + p99b * 100) / 1100;
    System.out.printf("merged p99 %.1f ms; the old request-weighted mean of p99s said %.1f ms%n", s.p99Ms(), oldMean);
    assertThat(oldMean).as("the mean of p99s is wrong by far on such a case").isLessThan(s.p99Ms() / 8);
  }

  @Test
  void secondsAddUpTooAndTheTrafficSeriesReadsTheSameMergedP99() {
    long[] slow = new long[LatencyBuckets.COUNT];
    slow[LatencyBuckets.index(300_000)] = 3;
    slow[LatencyBuckets.index(2_000)] = 97;
    long[] fast = new long[LatencyBuckets.COUNT];
    fast[LatencyBuckets.index(2_000)] = 100;
    collector.add(new VersionMetrics("gw-a", 0, 1000, List.of(entry(100, slow, 300))));
    collector.add(new VersionMetrics("gw-a", 1000, 2000, List.of(entry(100, fast, 2))));
    // 3 of 200 requests (1.5 %) at 300 ms: the p99 of the two seconds is 300 ms.
    assertThat(collector.sum("shop", "2.0.0", 0, 2000).p99Ms()).isCloseTo(300.0, withinPercentage(5));
    assertThat(collector.sum("shop", "2.0.0", 1000, 2000).p99Ms()).isCloseTo(2.0, withinPercentage(5));
    TrafficSeries t = collector.series("shop", 0, 2000);
    assertThat(t.versions().get("2.0.0").get(0).p99Ms()).isCloseTo(300.0, withinPercentage(5));
    assertThat(t.lastSeconds("2.0.0", 2).p99Ms()).isCloseTo(300.0, withinPercentage(5));
  }

  @Test
  void anOlderGatewayWithoutBucketsCountsAtItsOwnP99() {
    collector.add(new VersionMetrics("old", 0, 1000, List.of(
        new VersionMetrics.Entry("shop", "2.0.0", 10, 0, 0, 1, 2, 40.0))));
    assertThat(collector.sum("shop", "2.0.0", 0, 1000).p99Ms()).isCloseTo(40.0, withinPercentage(5));
  }

  private static VersionMetrics.Entry entry(long requests, long[] buckets, double p99) {
    return new VersionMetrics.Entry("shop", "2.0.0", requests, 0, 0, 0, 0, p99, buckets);
  }
}
