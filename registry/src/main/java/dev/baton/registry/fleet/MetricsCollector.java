package dev.baton.registry.fleet;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.LatencyBuckets;
import dev.baton.common.bus.VersionMetrics;
import dev.baton.registry.release.MetricsView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the last {@code retentionMs} of gateway metrics ({@code baton.gateway.metrics}) per app and
 * version, and sums them over a window for canary analysis: requests and 5xx add up across gateways
 * and seconds, and so do the latency histograms, bucket by bucket ({@link LatencyBuckets}): p50 and p99 are read
 * from the merged histogram, so they are the percentiles of every request of the window, whichever gateway served
 * it (docs/registry-api.md, "Canary analysis"). A window of an older gateway, without buckets, counts as its
 * requests all at its own p99.
 */
public final class MetricsCollector implements MetricsView {

  /** A gateway's in-flight report older than this counts for nothing (it reports every second while busy). */
  static final long IN_FLIGHT_FRESH_MS = 5_000;

  private record InFlight(long atMs, Map<String, Integer> perInstance) {
  }

  private final Map<String, Deque<TrafficSeries.Window>> windows = new HashMap<>();
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private final long retentionMs;
  private final long startedMs = System.currentTimeMillis();
  private final MessageConsumer<Object> consumer;

  public MetricsCollector(Vertx vertx, long retentionMs) {
    this.retentionMs = retentionMs;
    this.consumer = vertx.eventBus().consumer(Addresses.GATEWAY_METRICS, m -> {
      if (m.body() instanceof JsonObject json) {
        add(VersionMetrics.fromJson(json));
      }
    });
  }

  public Future<Void> ready() {
    return consumer.completion();
  }

  synchronized void add(VersionMetrics m) {
    inFlight.put(m.gateway(), new InFlight(m.windowEndMs(), m.inFlight()));
    for (VersionMetrics.Entry e : m.entries()) {
      Deque<TrafficSeries.Window> q = windows.computeIfAbsent(e.app() + "|" + e.version(), k -> new ArrayDeque<>());
      q.addLast(new TrafficSeries.Window(m.gateway(), e.version(), m.windowEndMs(), e.requests(), e.errors5xx(),
          e.p99Ms(), e.hasHistogram() ? LatencyBuckets.sparse(e.latency()) : null));
      while (!q.isEmpty() && q.peekFirst().endMs() < m.windowEndMs() - retentionMs) {
        q.removeFirst();
      }
    }
  }

  /**
   * Requests in flight on an instance now, summed over the gateways that reported in the last
   * {@link #IN_FLIGHT_FRESH_MS} (a gateway with nothing in flight and no traffic stops reporting: its share is 0).
   */
  public synchronized int inFlight(String instanceId, long nowMs) {
    int n = 0;
    for (InFlight report : inFlight.values()) {
      if (nowMs - report.atMs() <= IN_FLIGHT_FRESH_MS) {
        n += report.perInstance().getOrDefault(instanceId, 0);
      }
    }
    return n;
  }

  @Override
  public synchronized Sample sum(String app, String version, long fromMs, long toMs) {
    Deque<TrafficSeries.Window> q = windows.get(app + "|" + version);
    long requests = 0;
    long errors = 0;
    long[] merged = new long[LatencyBuckets.COUNT];
    if (q != null) {
      for (TrafficSeries.Window w : q) {
        if (w.endMs() > fromMs && w.endMs() <= toMs) {
          requests += w.requests();
          errors += w.errors();
          w.addTo(merged);
        }
      }
    }
    return new Sample(requests, errors, LatencyBuckets.percentileMs(merged, 50), LatencyBuckets.percentileMs(merged, 99));
  }

  /**
   * One app's per-second points per version over {@code (fromMs, toMs]} (whole seconds), summed across gateways:
   * see {@link TrafficSeries}. Only what this registry heard since its start and within the retention is known.
   */
  public synchronized TrafficSeries series(String app, long fromMs, long toMs) {
    String prefix = app + "|";
    List<TrafficSeries.Window> out = new ArrayList<>();
    windows.forEach((key, q) -> {
      if (key.startsWith(prefix)) {
        for (TrafficSeries.Window w : q) {
          if (w.endMs() > fromMs - 1000 && w.endMs() <= toMs) {
            out.add(w);
          }
        }
      }
    });
    return TrafficSeries.of(fromMs, toMs, out);
  }

  public long retentionMs() {
    return retentionMs;
  }

  /** This registry hears gateway metrics from its start only: windows before it are not known here. */
  @Override
  public long coverageStartMs() {
    return startedMs;
  }

  public Future<Void> close() {
    return consumer.unregister();
  }
}
