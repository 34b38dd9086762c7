package dev.baton.registry.fleet;

import dev.baton.common.bus.LatencyBuckets;
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
 * the latency histograms add up bucket by bucket and p99 is read from the merged histogram, as
 * {@link MetricsCollector#sum} does (a window of an older gateway, without buckets, counts as its requests all at
 * its p99). Every second of the
 * range is present, with zeros when no gateway reported it; a version is listed when some gateway reported it in
 * the range (gateways report every routed version every second, traffic or not).
 *
 * @param fromMs    exclusive start of the range, a whole second
 * @param toMs      inclusive end of the range, a whole second
 * @param gateways  the gateways that reported the app in the range, sorted
 * @param versions  per version (sorted by version string) one point per second, oldest first
 * @param latency   per version one sparse histogram per second ({@link LatencyBuckets#sparse}), as the points
 */
public record TrafficSeries(long fromMs, long toMs, List<String> gateways, SortedMap<String, List<Point>> versions,
                            Map<String, long[][]> latency) {

  /** Requests, 5xx and p99 (ms) of one version in the second ending at {@code t} (epoch ms). */
  public record Point(long t, long requests, long errors, double p99Ms) {

    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /**
   * One gateway's window of one version, as the collector keeps it.
   *
   * @param buckets the window's latency histogram as flattened {@code index, count} pairs ({@link LatencyBuckets#sparse});
   *                empty when the gateway sent none
   */
  public record Window(String gateway, String version, long endMs, long requests, long errors, double p99Ms,
                       long[] buckets) {

    public Window {
      buckets = buckets == null ? new long[0] : buckets;
    }

    /** A window without a histogram (an older gateway's). */
    public Window(String gateway, String version, long endMs, long requests, long errors, double p99Ms) {
      this(gateway, version, endMs, requests, errors, p99Ms, null);
    }

    /** Adds this window's requests to a dense histogram: its buckets, or all of them at its p99 when it has none. */
    public void addTo(long[] dense) {
      if (buckets.length > 0) {
        LatencyBuckets.addSparse(buckets, dense);
      } else if (requests > 0) {
        dense[LatencyBuckets.index(Math.round(p99Ms * 1000))] += requests;
      }
    }
  }

  public TrafficSeries {
    gateways = List.copyOf(gateways);
    versions = new TreeMap<>(versions);
    latency = Map.copyOf(latency);
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
    Map<String, long[][]> dense = new TreeMap<>();
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
      long[][] h = dense.computeIfAbsent(w.version(), k -> new long[seconds][]);
      if (h[i] == null) {
        h[i] = new long[LatencyBuckets.COUNT];
      }
      w.addTo(h[i]);
    }
    SortedMap<String, List<Point>> versions = new TreeMap<>();
    Map<String, long[][]> latency = new TreeMap<>();
    sums.forEach((version, s) -> {
      long[][] h = dense.get(version);
      long[][] sparse = new long[seconds][];
      List<Point> points = new ArrayList<>(seconds);
      for (int i = 0; i < seconds; i++) {
        sparse[i] = h[i] == null ? new long[0] : LatencyBuckets.sparse(h[i]);
        double p99 = h[i] == null ? 0 : LatencyBuckets.percentileMs(h[i], 99);
        points.add(new Point(fromMs + (i + 1) * 1000L, s[i][0], s[i][1], p99));
      }
      versions.put(version, points);
      latency.put(version, sparse);
    });
    return new TrafficSeries(fromMs, toMs, new ArrayList<>(gateways), versions, latency);
  }

  /** Totals of one version over its last {@code seconds} points: requests, errors and p99 of the merged histogram. */
  public Point lastSeconds(String version, int seconds) {
    List<Point> points = versions.getOrDefault(version, List.of());
    long[][] sparse = latency.getOrDefault(version, new long[0][]);
    long requests = 0;
    long errors = 0;
    long[] merged = new long[LatencyBuckets.COUNT];
    for (int i = Math.max(0, points.size() - seconds); i < points.size(); i++) {
      requests += points.get(i).requests();
      errors += points.get(i).errors();
      LatencyBuckets.addSparse(sparse[i], merged);
    }
    return new Point(toMs, requests, errors, LatencyBuckets.percentileMs(merged, 99));
  }
}
