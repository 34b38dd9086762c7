package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One analysis interval of a canary, compared with stable over the same window (docs/registry-api.md, "Canary
 * analysis"). In order: fewer than {@code minRequests} canary requests is inconclusive; a canary error rate above
 * the optional {@code maxErrorRate} ceiling fails; fewer than {@code minRequests} stable requests is inconclusive
 * (nothing to compare with); the canary fails when its error rate is higher than stable's with {@code confidence}
 * ({@link ErrorRateTest}) and by more than {@code maxErrorRateIncrease}; or when its p99 is over
 * {@code maxP99Ratio} × stable's and more than {@code minP99IncreaseMs} above it. Otherwise it passes. Pure.
 */
public final class CanaryAnalysis {

  /** The closed set of interval outcomes. */
  public enum Outcome { PASS, FAIL, INCONCLUSIVE }

  /** An outcome, the numbers behind it in words, and the same numbers as JSON (the analysis history entry). */
  public record Verdict(Outcome outcome, String reason, JsonObject figures) {
  }

  private CanaryAnalysis() {
  }

  public static Verdict evaluate(Analysis a, MetricsView.Sample canary, MetricsView.Sample stable) {
    JsonObject figures = new JsonObject().put("canary", side(canary)).put("stable", side(stable));
    if (canary.requests() < a.minRequests()) {
      return verdict(Outcome.INCONCLUSIVE, "inconclusive: " + canary.requests() + " canary requests, "
          + a.minRequests() + " needed", figures);
    }
    String canaryRate = pct(canary.errorRate()) + " (" + canary.errors() + "/" + canary.requests() + ")";
    if (a.maxErrorRate() != null && canary.errorRate() > a.maxErrorRate()) {
      return verdict(Outcome.FAIL, "failed: canary error rate " + canaryRate + " is over maxErrorRate "
          + pct(a.maxErrorRate()), figures);
    }
    if (stable.requests() < a.minRequests()) {
      return verdict(Outcome.INCONCLUSIVE, "inconclusive: " + stable.requests() + " stable requests to compare with, "
          + a.minRequests() + " needed", figures);
    }
    ErrorRateTest.Result t = ErrorRateTest.higher(canary.errors(), canary.requests(), stable.errors(), stable.requests());
    double increase = canary.errorRate() - stable.errorRate();
    figures.put("test", t.test()).put("pValue", round(t.pValue(), 6)).put("errorRateIncrease", round(increase, 6));
    if (!Double.isNaN(t.z())) {
      figures.put("z", round(t.z(), 3));
    }
    String rates = String.format(Locale.ROOT, "canary error rate %s vs stable %s (%d/%d): %+.2f points, %s",
        canaryRate, pct(stable.errorRate()), stable.errors(), stable.requests(), increase * 100, p(t.pValue()));
    String latency = String.format(Locale.ROOT, "p99 %.1f ms vs %.1f ms", canary.p99Ms(), stable.p99Ms());
    boolean confident = t.pValue() < 1 - a.confidence();
    if (confident && increase > a.maxErrorRateIncrease()) {
      return verdict(Outcome.FAIL, "failed: " + rates + " (over +" + points(a.maxErrorRateIncrease()) + " with "
          + confidence(a) + " confidence)", figures);
    }
    if (latencyRegressed(a, canary.p99Ms(), stable.p99Ms())) {
      return verdict(Outcome.FAIL, String.format(Locale.ROOT, "failed: canary %s: over %.2f x stable and more than "
          + "%s ms above it", latency, a.maxP99Ratio(), num(a.minP99IncreaseMs())), figures);
    }
    return verdict(Outcome.PASS, "passed: " + rates + "; " + latency, figures);
  }

  /** The latency rule alone: over the ratio AND above the absolute floor (a 4 ms vs 2 ms p99 is no regression). */
  static boolean latencyRegressed(Analysis a, double canaryP99, double stableP99) {
    return stableP99 > 0 && canaryP99 > a.maxP99Ratio() * stableP99 && canaryP99 - stableP99 > a.minP99IncreaseMs();
  }

  private static Verdict verdict(Outcome o, String reason, JsonObject figures) {
    return new Verdict(o, reason, figures.put("verdict", o.name()).put("reason", reason));
  }

  private static JsonObject side(MetricsView.Sample s) {
    return new JsonObject().put("requests", s.requests()).put("errors", s.errors())
        .put("errorRate", round(s.errorRate(), 6)).put("p50Ms", round(s.p50Ms(), 2)).put("p99Ms", round(s.p99Ms(), 2));
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  private static String points(double rate) {
    return num(rate * 100) + " points";
  }

  private static String confidence(Analysis a) {
    return num(a.confidence() * 100) + "%";
  }

  private static String p(double p) {
    return p < 0.0001 ? "p<0.0001" : String.format(Locale.ROOT, "p=%.4f", p);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
  }
}
