package dev.baton.gateway.metrics;

import dev.baton.common.bus.VersionMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and a latency histogram of one app version over the current window. Recording is wait-free
 * (LongAdder, HdrHistogram {@link Recorder}); {@link #drain} returns the window and starts the next one.
 */
public final class VersionWindow {

  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final String app;
  private final String version;
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors5xx = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final Recorder latency = new Recorder(MAX_MICROS, 2);
  private Histogram recycle;

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
    long micros = Math.min(Math.max(nanos / 1000, 1), MAX_MICROS);
    latency.recordValue(micros);
  }

  public void connectFailed() {
    connectFailures.increment();
  }

  /** The window so far as a bus entry; resets the counters. Called from one thread at a time. */
  public synchronized VersionMetrics.Entry drain() {
    Histogram h = latency.getIntervalHistogram(recycle);
    recycle = h;
    long n = requests.sumThenReset();
    long e = errors5xx.sumThenReset();
    long c = connectFailures.sumThenReset();
    return new VersionMetrics.Entry(app, version, n, e, c, ms(h, 50), ms(h, 90), ms(h, 99));
  }

  private static double ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return 0.0;
    }
    return Math.round(h.getValueAtPercentile(percentile) / 10.0) / 100.0;
  }
}
