package dev.baton.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.VersionMetrics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsAreContiguousAndWithinTwelveAndAHalfPercent() {
    for (long v = 1; v < 10_000_000; v = v < 100 ? v + 1 : v + v / 97) {
      int i = LatencyHistogram.index(v);
      assertThat(LatencyHistogram.upperBound(i)).as("upper bound of %d", v).isGreaterThanOrEqualTo(v);
      assertThat((double) LatencyHistogram.upperBound(i)).isLessThanOrEqualTo(v * 1.125 + 1);
      if (i > 0) {
        assertThat(LatencyHistogram.upperBound(i - 1)).isLessThan(v);
      }
    }
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void percentilesOfAUniformSample() {
    LatencyHistogram h = new LatencyHistogram();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      h.record(1000 + r.nextInt(9000));
    }
    assertThat((double) h.percentile(50)).isBetween(5500 * 0.99, 5500 * 1.13);
    assertThat((double) h.percentile(99)).isBetween(9910 * 0.99, 9910 * 1.13);
    assertThat(h.percentile(100)).isGreaterThanOrEqualTo(h.percentile(99));
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
    assertThat(e.p50Ms()).isBetween(2.0, 2.3);
    assertThat(e.p99Ms()).isBetween(4.0, 4.6);
    VersionMetrics.Entry next = w.drain();
    assertThat(next.requests()).isZero();
    assertThat(next.p99Ms()).isZero();
  }
}
