package dev.baton.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.LatencyBuckets;
import dev.baton.common.bus.VersionMetrics;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void percentilesOfAUniformSampleAreWithinFivePercent() {
    LatencyHistogram h = new LatencyHistogram();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      h.record(1000 + r.nextInt(9000));
    }
    assertThat(h.total()).isEqualTo(100_000);
    assertThat(h.percentileMs(50)).isBetween(5.5 * 0.95, 5.5 * 1.05);
    assertThat(h.percentileMs(99)).isBetween(9.91 * 0.95, 9.91 * 1.05);
    assertThat(h.percentileMs(100)).isGreaterThanOrEqualTo(h.percentileMs(99));
  }

  @Test
  void windowCountsAndResets() {
    VersionWindow w = new VersionWindow("shop", "1.0.0");
    w.completed(200, 2_000_000);
    w.completed(503, 4_000_000);
    w.connectFailed();
    VersionMetrics.Entry e = w.drain();
    assertThat(e.requests()).isEqualTo(2);
    assertThat(e.errors5xx()).isEqualTo(1);
    assertThat(e.connectFailures()).isEqualTo(1);
    assertThat(e.p50Ms()).isBetween(1.9, 2.1);
    assertThat(e.p99Ms()).isBetween(3.8, 4.2);
    assertThat(e.latency()).as("bucket counts travel with the window").hasSize(LatencyBuckets.COUNT);
    assertThat(Arrays.stream(e.latency()).sum()).isEqualTo(2);
    assertThat(VersionMetrics.Entry.fromJson(e.toJson()).latency()).isEqualTo(e.latency());
    VersionMetrics.Entry next = w.drain();
    assertThat(next.requests()).isZero();
    assertThat(next.p99Ms()).isZero();
  }
}
