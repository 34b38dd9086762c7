package dev.baton.gateway.metrics;

import dev.baton.common.bus.VersionMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and a latency histogram of one app version over the current window. Recording is wait-free
 * (LongAdder, {@link LatencyHistogram}); {@link #drain} returns the window and starts the next one. A
 * request that completes while the window turns may land in either window; nothing is lost or counted twice.
 */
public final class VersionWindow {

  private final String app;
  private final String version;
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors5xx = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private volatile LatencyHistogram latency = new LatencyHistogram();

  public VersionWindow(String app, String version) {
    this.app = app;
    this.version = version;
  }

  public String app() {
    return app;
  }

  public String version() {
    return version;
  }

  public void completed(int status, long nanos) {
    requests.increment();
    if (status >= 500) {
      errors5xx.increment();
    }
    latency.record(nanos / 1000);
  }

  public void connectFailed() {
    connectFailures.increment();
  }

  /** The window so far as a bus entry; resets the counters. Called from one thread at a time. */
  public synchronized VersionMetrics.Entry drain() {
    LatencyHistogram h = latency;
    latency = new LatencyHistogram();
    long n = requests.sumThenReset();
    long e = errors5xx.sumThenReset();
    long c = connectFailures.sumThenReset();
    long[] counts = h.counts();
    return new VersionMetrics.Entry(app, version, n, e, c, ms(counts, 50), ms(counts, 90), ms(counts, 99), counts);
  }

  private static double ms(long[] counts, double percentile) {
    return Math.round(dev.baton.common.bus.LatencyBuckets.percentileMs(counts, percentile) * 100.0) / 100.0;
  }
}
