package dev.baton.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void everyLatencyFromHalfAMillisecondToSixtySecondsReadsWithinFivePercent() {
    for (long us = 500; us < 60_000_000; us += Math.max(1, us / 211)) {
      double read = LatencyBuckets.valueMs(LatencyBuckets.index(us));
      assertThat(read / (us / 1000.0)).as("%d µs read as %f ms", us, read).isBetween(1 / 1.05, 1.05);
    }
    assertThat(LatencyBuckets.index(0)).isZero();
    assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
    assertThat(LatencyBuckets.COUNT).as("a compact layout").isLessThan(130);
  }

  @Test
  void bucketsAreContiguousAndOrdered() {
    int last = 0;
    for (long us = 1; us < 70_000_000; us += Math.max(1, us / 500)) {
      int i = LatencyBuckets.index(us);
      assertThat(i).isBetween(last, last + 1);
      last = i;
    }
    for (int i = 1; i < LatencyBuckets.COUNT; i++) {
      assertThat(LatencyBuckets.valueMs(i)).isGreaterThan(LatencyBuckets.valueMs(i - 1));
    }
  }

  @Test
  void onTheBusOnlyNonEmptyBucketsTravelAndUnknownShapesAreSkipped() {
    long[] h = new long[LatencyBuckets.COUNT];
    h[3] = 7;
    h[40] = 1;
    JsonArray compact = LatencyBuckets.toJson(h);
    assertThat(compact.encode()).isEqualTo("[[3,7],[40,1]]");
    long[] back = new long[LatencyBuckets.COUNT];
    LatencyBuckets.addJson(new JsonArray(compact.encode()).add("junk").add(new JsonArray().add(999).add(1)), back);
    assertThat(back).isEqualTo(h);
    assertThat(LatencyBuckets.sparse(h)).containsExactly(3, 7, 40, 1);
  }

  @Test
  void anEntryOfAnOlderGatewayReadsWithAnEmptyHistogramAndANewerOneRoundTrips() {
    VersionMetrics.Entry old = VersionMetrics.Entry.fromJson(new JsonObject().put("app", "a").put("version", "1")
        .put("requests", 3).put("p99Ms", 4.0).put("somethingNewer", true));
    assertThat(old.hasHistogram()).isFalse();
    assertThat(old.p99Ms()).isEqualTo(4.0);
    long[] h = new long[LatencyBuckets.COUNT];
    h[LatencyBuckets.index(2000)] = 3;
    VersionMetrics.Entry e = new VersionMetrics.Entry("a", "1", 3, 0, 0, 2, 2, 2, h);
    assertThat(VersionMetrics.Entry.fromJson(e.toJson()).latency()).isEqualTo(h);
    assertThat(LatencyBuckets.percentileMs(h, 99)).isBetween(1.9, 2.1);
  }
}
