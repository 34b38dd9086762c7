package dev.baton.gateway.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear latency histogram in microseconds: 8 sub-buckets per power of two, so a
 * percentile is read within 12.5 % of the true value, from 1 µs to about 1 hour. Recording is one
 * {@code numberOfLeadingZeros} and one atomic increment (no allocation, no lock, no clock).
 */
final class LatencyHistogram {

  private static final int SUB_BITS = 3;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXP = 32;
  static final int BUCKETS = (MAX_EXP + 1) * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long micros) {
    counts.incrementAndGet(index(micros));
  }

  static int index(long micros) {
    long v = Math.max(micros, 1);
    int exp = 63 - Long.numberOfLeadingZeros(v);
    if (exp < SUB_BITS) {
      return (int) v;
    }
    if (exp > MAX_EXP) {
      return BUCKETS - 1;
    }
    int sub = (int) (v >>> (exp - SUB_BITS)) & (SUB - 1);
    return (exp - SUB_BITS + 1) * SUB + sub;
  }

  /** The upper bound (µs) of the values in bucket {@code i}. */
  static long upperBound(int i) {
    if (i < SUB) {
      return i;
    }
    int exp = i / SUB + SUB_BITS - 1;
    int sub = i % SUB;
    return ((long) (SUB + sub + 1) << (exp - SUB_BITS)) - 1;
  }

  long total() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The value (µs) at {@code percentile} (0..100), or 0 when empty. */
  long percentile(double percentile) {
    long total = total();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(percentile / 100.0 * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= Math.max(rank, 1)) {
        return upperBound(i);
      }
    }
    return upperBound(BUCKETS - 1);
  }
}
