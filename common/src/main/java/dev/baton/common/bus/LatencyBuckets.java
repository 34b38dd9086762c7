package dev.baton.common.bus;

import io.vertx.core.json.JsonArray;

/**
 * The one latency bucket layout every gateway fills and every registry merges (docs/registry-api.md, "Canary
 * analysis"). Bucket 0 holds everything under 0.5 ms; bucket {@code i >= 1} holds {@code [0.5 ms × 1.1^(i-1),
 * 0.5 ms × 1.1^i)}, up to 60 s; the last bucket holds everything slower. A bucket is read as the geometric middle of
 * its bounds, so a percentile read from it is within {@code sqrt(1.1) - 1} (4.9 %) of the true value between 0.5 ms
 * and 60 s. Histograms of the same layout add up bucket by bucket, so a percentile of many gateways and seconds
 * is the percentile of all their requests, not an average of percentiles.
 *
 * <p>On the bus a histogram is compact: only non-empty buckets, as {@code [[index, count], ...]}.
 */
public final class LatencyBuckets {

  /** Lower bound of bucket 1, µs. */
  static final double FIRST_US = 500;
  static final double GROWTH = 1.1;
  /** Upper bound of the last bounded bucket, µs (60 s). */
  static final double LAST_US = 60_000_000;
  private static final double LOG_GROWTH = Math.log(GROWTH);
  /** Bucket count: the underflow bucket, the log-scaled ones up to 60 s, and the overflow bucket. */
  public static final int COUNT = 2 + (int) Math.ceil(Math.log(LAST_US / FIRST_US) / LOG_GROWTH);

  private LatencyBuckets() {
  }

  /** The bucket of a latency in microseconds. */
  public static int index(long micros) {
    if (micros < FIRST_US) {
      return 0;
    }
    int i = 1 + (int) Math.floor(Math.log(micros / FIRST_US) / LOG_GROWTH);
    return Math.min(i, COUNT - 1);
  }

  /** The value (ms) a bucket stands for: the geometric middle of its bounds (0.25 ms for the first, 60 s for the last). */
  public static double valueMs(int i) {
    if (i <= 0) {
      return FIRST_US / 2000;
    }
    if (i >= COUNT - 1) {
      return LAST_US / 1000;
    }
    return FIRST_US * Math.pow(GROWTH, i - 0.5) / 1000;
  }

  /** The value (ms) at {@code percentile} (0..100) of a dense histogram, or 0 when it is empty. */
  public static double percentileMs(long[] counts, double percentile) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return valueMs(i);
      }
    }
    return valueMs(counts.length - 1);
  }

  /** The compact form of a dense histogram: {@code [[index, count], ...]} of its non-empty buckets. */
  public static JsonArray toJson(long[] counts) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        a.add(new JsonArray().add(i).add(counts[i]));
      }
    }
    return a;
  }

  /**
   * Adds a compact histogram into {@code into} (length {@link #COUNT}); leniently, as for everything read off the bus:
   * an entry that is not an {@code [index, count]} pair of a known bucket is skipped.
   */
  public static void addJson(JsonArray compact, long[] into) {
    if (compact == null) {
      return;
    }
    for (Object o : compact) {
      if (o instanceof JsonArray pair && pair.size() == 2 && pair.getValue(0) instanceof Number i
          && pair.getValue(1) instanceof Number c && i.intValue() >= 0 && i.intValue() < into.length
          && c.longValue() > 0) {
        into[i.intValue()] += c.longValue();
      }
    }
  }

  /** Adds a sparse histogram ({@code index, count} pairs flattened) into a dense one. */
  public static void addSparse(long[] sparse, long[] into) {
    for (int k = 0; k + 1 < sparse.length; k += 2) {
      into[(int) sparse[k]] += sparse[k + 1];
    }
  }

  /** A dense histogram as flattened {@code index, count} pairs of its non-empty buckets (compact to keep). */
  public static long[] sparse(long[] counts) {
    int n = 0;
    for (long c : counts) {
      n += c > 0 ? 1 : 0;
    }
    long[] out = new long[2 * n];
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        out[k++] = i;
        out[k++] = counts[i];
      }
    }
    return out;
  }
}
