package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import java.util.Locale;

/**
 * One analysis interval of a canary, compared with stable over the same window. Fewer than
 * {@code minRequests} canary requests is inconclusive, never a pass. The canary fails when its error
 * rate exceeds {@code maxErrorRate}, or when its p99 exceeds {@code maxP99Ratio} × stable's p99 (the
 * latency check needs {@code minRequests} stable requests too; without them only errors are judged).
 */
public final class CanaryAnalysis {

  /** The closed set of interval outcomes. */
  public enum Outcome { PASS, FAIL, INCONCLUSIVE }

  /** An outcome and the numbers behind it, in words. */
  public record Verdict(Outcome outcome, String reason) {
  }

  private CanaryAnalysis() {
  }

  public static Verdict evaluate(Analysis a, MetricsView.Sample canary, MetricsView.Sample stable) {
    if (canary.requests() < a.minRequests()) {
      return new Verdict(Outcome.INCONCLUSIVE, "inconclusive: " + canary.requests() + " canary request(s), "
          + a.minRequests() + " needed");
    }
    String rates = "canary error rate " + pct(canary.errorRate()) + " (" + canary.errors() + "/" + canary.requests()
        + "), stable " + pct(stable.errorRate()) + ", max " + pct(a.maxErrorRate());
    if (canary.errorRate() > a.maxErrorRate()) {
      return new Verdict(Outcome.FAIL, "failed: " + rates);
    }
    if (stable.requests() >= a.minRequests() && stable.p99Ms() > 0
        && canary.p99Ms() > a.maxP99Ratio() * stable.p99Ms()) {
      return new Verdict(Outcome.FAIL, String.format(Locale.ROOT,
          "failed: canary p99 %.1f ms is over %.2f x stable p99 %.1f ms", canary.p99Ms(), a.maxP99Ratio(),
          stable.p99Ms()));
    }
    return new Verdict(Outcome.PASS, "passed: " + rates);
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }
}
