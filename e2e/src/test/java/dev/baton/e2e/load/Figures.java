package dev.baton.e2e.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The zero-downtime figures of one scenario, as printed in the table: traffic, failures, latency, POST
 * accounting, and one cutover per route switch (route change in Consul → last response from the old version).
 */
public record Figures(String scenario, long requests, double seconds, long failures, long expectedFailures,
                      double p99Ms, double slowP99Ms, long postsAcked, long postsSeen, long postRetries, int duplicated, int lost,
                      List<Cutover> cutovers) {

  /**
   * One switch: {@code lastOldDoneMs} is the route change → the end of the last response from the old version
   * (slow requests included: they finish on the old version while it drains); {@code lastOldSentMs} is the
   * route change → the last request the gateway still sent to the old version (propagation).
   */
  public record Cutover(String label, long lastOldDoneMs, long lastOldSentMs) {
  }

  public double perSecond() {
    return requests / Math.max(seconds, 0.001);
  }

  /** p99 of the successful requests of {@code samples} (slow ones separately), in ms. */
  public static double p99(List<Sample> samples, boolean slow) {
    List<Double> ms = new ArrayList<>();
    samples.stream().filter(s -> !s.failed() && (s.kind() == Sample.Kind.SLOW) == slow)
        .forEach(s -> ms.add(s.latencyMs()));
    if (ms.isEmpty()) {
      return 0;
    }
    ms.sort(Comparator.naturalOrder());
    return ms.get((int) Math.min(ms.size() - 1, Math.ceil(ms.size() * 0.99) - 1));
  }

  /**
   * The cutover of a switch to a route seen at {@code changeNanos}: the samples answered by {@code oldVersion}
   * that were sent before {@code untilNanos} decide when the old version served its last response.
   */
  public static Cutover cutover(String label, long changeNanos, String oldVersion, long untilNanos,
                                List<Sample> samples) {
    long lastDone = Long.MIN_VALUE;
    long lastSent = Long.MIN_VALUE;
    for (Sample s : samples) {
      if (oldVersion.equals(s.version()) && s.sentNanos() < untilNanos) {
        lastDone = Math.max(lastDone, s.doneNanos());
        lastSent = Math.max(lastSent, s.sentNanos());
      }
    }
    return new Cutover(label, (lastDone - changeNanos) / 1_000_000, (lastSent - changeNanos) / 1_000_000);
  }

  private static final String FORMAT = "%-34s %8s %6s %9s %7s %8s %11s %12s  %s%n";

  /** The table of every scenario, one line each. */
  public static String table(List<Figures> all) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, FORMAT, "scenario", "requests", "req/s", "failures", "p99 ms",
        "slow p99", "POSTs ok/seen", "dup/lost/rtr", "cutover: route change -> last old response (last old sent)"));
    for (Figures f : all) {
      StringBuilder cut = new StringBuilder();
      for (Cutover c : f.cutovers()) {
        cut.append(cut.length() == 0 ? "" : "; ").append(c.label()).append(' ').append(c.lastOldDoneMs())
            .append(" ms (").append(c.lastOldSentMs()).append(')');
      }
      String failures = f.expectedFailures() > 0 ? f.failures() + "*" : String.valueOf(f.failures());
      sb.append(String.format(Locale.ROOT, FORMAT, f.scenario(), f.requests(),
          String.format(Locale.ROOT, "%.0f", f.perSecond()), failures, String.format(Locale.ROOT, "%.1f", f.p99Ms()),
          String.format(Locale.ROOT, "%.0f", f.slowP99Ms()), f.postsAcked() + "/" + f.postsSeen(),
          f.duplicated() + "/" + f.lost() + "/" + f.postRetries(), cut));
    }
    if (all.stream().anyMatch(f -> f.expectedFailures() > 0)) {
      sb.append("* expected: the failing canary's own injected 500s (FAIL_RATE), bounded by its weight\n");
    }
    return sb.toString();
  }
}
