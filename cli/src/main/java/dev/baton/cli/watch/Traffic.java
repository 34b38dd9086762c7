package dev.baton.cli.watch;

import dev.baton.cli.io.Values;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests/s, error rate and p99 per version over the last ten one-second windows of the registry's traffic stream
 * (docs/registry-api.md, "Traffic"): the gateways' counts summed, as the canary analysis sees them.
 */
public final class Traffic {

  static final int WINDOW = 10;

  /** One version's figures over the window. */
  public record Figures(double rps, double errorRate, double p99Ms, long requests) {
  }

  private record Tick(long t, long requests, long errors, double p99Ms) {
  }

  private final Map<String, Deque<Tick>> ticks = new TreeMap<>();
  private final Map<String, Figures> seeded = new TreeMap<>();
  private long lastT;

  /** The initial {@code last10s} of {@code GET /v1/apps/{app}/traffic}, shown until the stream brings ten seconds. */
  void seed(Object trafficAnswer) {
    for (Map<String, Object> v : Values.maps(trafficAnswer, "versions")) {
      Map<String, Object> l = Values.map(v, "last10s");
      seeded.put(Values.str(v, "version"), new Figures(Values.num(l, "rps", 0), Values.num(l, "errorRate", 0),
          Values.num(l, "p99Ms", 0), Math.round(Values.num(l, "rps", 0) * WINDOW)));
    }
  }

  /** One {@code event: traffic} of the stream: {@code {t, versions: [{version, requests, errors, p99Ms}]}}. */
  void tick(Map<String, Object> data) {
    long t = (long) Values.num(data, "t", 0);
    if (t != 0 && t <= lastT) {
      return;
    }
    lastT = t;
    for (Map<String, Object> v : Values.maps(data, "versions")) {
      Deque<Tick> q = ticks.computeIfAbsent(Values.str(v, "version"), k -> new ArrayDeque<>());
      q.addLast(new Tick(t, (long) Values.num(v, "requests", 0), (long) Values.num(v, "errors", 0), Values.num(v, "p99Ms", 0)));
    }
    ticks.values().forEach(q -> {
      while (!q.isEmpty() && q.peekFirst().t() <= t - WINDOW * 1000L) {
        q.removeFirst();
      }
    });
  }

  /** Figures per version, ordered by version; versions with neither stream data nor a seed are absent. */
  public Map<String, Figures> figures() {
    Map<String, Figures> out = new TreeMap<>(seeded);
    ticks.forEach((version, q) -> {
      if (q.isEmpty()) {
        return;
      }
      long req = 0;
      long err = 0;
      double p99 = 0;
      for (Tick k : q) {
        req += k.requests();
        err += k.errors();
        p99 = Math.max(p99, k.p99Ms());
      }
      int seconds = Math.min(WINDOW, q.size());
      out.put(version, new Figures(req / (double) seconds, req == 0 ? 0 : err / (double) req, p99, req));
    });
    return out;
  }

  /** Each version's share of the window's requests, 0..100. */
  public Map<String, Double> shares() {
    Map<String, Figures> f = figures();
    double total = f.values().stream().mapToDouble(Figures::rps).sum();
    Map<String, Double> out = new TreeMap<>();
    f.forEach((v, x) -> out.put(v, total == 0 ? 0 : 100 * x.rps() / total));
    return out;
  }
}
