package dev.baton.registry.fleet;

import dev.baton.common.bus.Addresses;
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
 * and seconds; p99 is the request-weighted mean of the per-second p99s (an approximation: percentiles
 * of different windows do not add).
 */
public final class MetricsCollector implements MetricsView {

  private record Window(String gateway, long endMs, long requests, long errors, double p99Ms) {
  }

  private final Map<String, Deque<Window>> windows = new HashMap<>();
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
    for (VersionMetrics.Entry e : m.entries()) {
      Deque<Window> q = windows.computeIfAbsent(e.app() + "|" + e.version(), k -> new ArrayDeque<>());
      q.addLast(new Window(m.gateway(), m.windowEndMs(), e.requests(), e.errors5xx(), e.p99Ms()));
      while (!q.isEmpty() && q.peekFirst().endMs() < m.windowEndMs() - retentionMs) {
        q.removeFirst();
      }
    }
  }

  @Override
  public synchronized Sample sum(String app, String version, long fromMs, long toMs) {
    Deque<Window> q = windows.get(app + "|" + version);
    long requests = 0;
    long errors = 0;
    double weighted = 0;
    if (q != null) {
      for (Window w : q) {
        if (w.endMs() > fromMs && w.endMs() <= toMs) {
          requests += w.requests();
          errors += w.errors();
          weighted += w.p99Ms() * w.requests();
        }
      }
    }
    return new Sample(requests, errors, requests == 0 ? 0 : weighted / requests);
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
        String version = key.substring(prefix.length());
        for (Window w : q) {
          if (w.endMs() > fromMs - 1000 && w.endMs() <= toMs) {
            out.add(new TrafficSeries.Window(w.gateway(), version, w.endMs(), w.requests(), w.errors(), w.p99Ms()));
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
