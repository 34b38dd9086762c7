package dev.baton.registry.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One app's gateway metrics as one-second points per version, summed across gateways (docs/registry-api.md
 * "Traffic"). A gateway's window ending at {@code e} counts in the second ending at {@code ceil(e / 1000) * 1000}:
 * gateways tick on their own phase, so their windows are aligned to whole seconds here. Requests and 5xx add up;
 * p99 is the request-weighted mean of the windows' p99s, as {@link MetricsCollector#sum} does. Every second of the
 * range is present, with zeros when no gateway reported it; a version is listed when some gateway reported it in
 * the range (gateways report every routed version every second, traffic or not).
 *
 * @param fromMs    exclusive start of the range, a whole second
 * @param toMs      inclusive end of the range, a whole second
 * @param gateways  the gateways that reported the app in the range, sorted
 * @param versions  per version (sorted by version string) one point per second, oldest first
 */
public record TrafficSeries(long fromMs, long toMs, List<String> gateways, SortedMap<String, List<Point>> versions) {

  /** Requests, 5xx and p99 (ms) of one version in the second ending at {@code t} (epoch ms). */
  public record Point(long t, long requests, long errors, double p99Ms) {

    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /** One gateway's window of one version, as the collector keeps it. */
  public record Window(String gateway, String version, long endMs, long requests, long errors, double p99Ms) {
  }

  public TrafficSeries {
    gateways = List.copyOf(gateways);
    versions = new TreeMap<>(versions);
  }

  /** The second ({@code t} of its point) a window ending at {@code endMs} counts in. */
  public static long secondOf(long endMs) {
    return Math.floorDiv(endMs + 999, 1000) * 1000;
  }

  /** Buckets {@code windows} into the seconds of {@code (fromMs, toMs]} (both whole seconds). */
  public static TrafficSeries of(long fromMs, long toMs, Collection<Window> windows) {
    int seconds = (int) ((toMs - fromMs) / 1000);
    SortedSet<String> gateways = new TreeSet<>();
    Map<String, long[][]> sums = new TreeMap<>();
    Map<String, double[]> weighted = new TreeMap<>();
    for (Window w : windows) {
      long t = secondOf(w.endMs());
      if (t <= fromMs || t > toMs) {
        continue;
      }
      int i = (int) ((t - fromMs) / 1000) - 1;
      gateways.add(w.gateway());
      long[][] s = sums.computeIfAbsent(w.version(), k -> new long[seconds][2]);
      s[i][0] += w.requests();
      s[i][1] += w.errors();
      weighted.computeIfAbsent(w.version(), k -> new double[seconds])[i] += w.p99Ms() * w.requests();
    }
    SortedMap<String, List<Point>> versions = new TreeMap<>();
    sums.forEach((version, s) -> {
      double[] p = weighted.get(version);
      List<Point> points = new ArrayList<>(seconds);
      for (int i = 0; i < seconds; i++) {
        points.add(new Point(fromMs + (i + 1) * 1000L, s[i][0], s[i][1], s[i][0] == 0 ? 0 : p[i] / s[i][0]));
      }
      versions.put(version, points);
    });
    return new TrafficSeries(fromMs, toMs, new ArrayList<>(gateways), versions);
  }

  /** Totals of one version over its last {@code seconds} points: requests, errors and weighted p99. */
  public Point lastSeconds(String version, int seconds) {
    List<Point> points = versions.getOrDefault(version, List.of());
    long requests = 0;
    long errors = 0;
    double weighted = 0;
    for (Point p : points.subList(Math.max(0, points.size() - seconds), points.size())) {
      requests += p.requests();
      errors += p.errors();
      weighted += p.p99Ms() * p.requests();
    }
    return new Point(toMs, requests, errors, requests == 0 ? 0 : weighted / requests);
  }
}
