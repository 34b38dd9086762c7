package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Automated canary analysis, evaluated every {@code intervalSeconds} from gateway metrics over the same window for
 * canary and stable (docs/registry-api.md, "Canary analysis"). The canary fails an interval when its error rate is
 * higher than stable's with {@code confidence} (one-sided two-proportion test) and by more than
 * {@code maxErrorRateIncrease}; or above {@code maxErrorRate} when that optional ceiling is set; or when its p99
 * (from the merged histograms) is over {@code maxP99Ratio} × stable's and more than {@code minP99IncreaseMs} above
 * it. Fewer than {@code minRequests} canary (or stable) requests make an interval inconclusive, never a pass; the
 * first {@code warmupSeconds} after new canary instances became routable are left out; {@code failureLimit} failed
 * intervals abort the release. The same test judges a bake after 100% against the baseline recorded before the
 * release; {@code prometheus}, when set, adds PromQL queries whose values must stay within bounds.
 *
 * @param maxErrorRate an absolute ceiling on the canary's error rate, or {@code null} for none (the default)
 * @param prometheus   queries evaluated every interval next to the baseline test, or {@code null} for none
 */
public record Analysis(Double maxErrorRate, double maxErrorRateIncrease, double confidence, double maxP99Ratio,
                       double minP99IncreaseMs, int minRequests, int intervalSeconds, int failureLimit,
                       int warmupSeconds, PrometheusCheck prometheus) {

  /** An analysis without a Prometheus source. */
  public Analysis(Double maxErrorRate, double maxErrorRateIncrease, double confidence, double maxP99Ratio,
                  double minP99IncreaseMs, int minRequests, int intervalSeconds, int failureLimit, int warmupSeconds) {
    this(maxErrorRate, maxErrorRateIncrease, confidence, maxP99Ratio, minP99IncreaseMs, minRequests, intervalSeconds,
        failureLimit, warmupSeconds, null);
  }

  public static Analysis defaults() {
    return new Analysis(null, 0.01, 0.95, 1.5, 25, 50, 5, 2, 15);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    if (maxErrorRate != null) {
      j.put("maxErrorRate", maxErrorRate);
    }
    j.put("maxErrorRateIncrease", maxErrorRateIncrease).put("confidence", confidence)
        .put("maxP99Ratio", maxP99Ratio).put("minP99IncreaseMs", minP99IncreaseMs).put("minRequests", minRequests)
        .put("intervalSeconds", intervalSeconds).put("failureLimit", failureLimit).put("warmupSeconds", warmupSeconds);
    return prometheus == null ? j : j.put("prometheus", prometheus.toJson());
  }

  static Analysis read(Fields f) {
    Analysis d = defaults();
    Double rate = f.number("maxErrorRate", false, 0, 1);
    Double increase = f.number("maxErrorRateIncrease", false, 0, 1);
    Double confidence = f.number("confidence", false, 0.5, 0.9999);
    Double ratio = f.number("maxP99Ratio", false, 1, 1000);
    Double floor = f.number("minP99IncreaseMs", false, 0, 600_000);
    Integer min = f.integer("minRequests", false, 1, 10_000_000);
    Integer interval = f.integer("intervalSeconds", false, 1, 3600);
    Integer limit = f.integer("failureLimit", false, 1, 1000);
    Integer warmup = f.integer("warmupSeconds", false, 0, 3600);
    Fields prom = f.object("prometheus", false);
    PrometheusCheck prometheus = prom == null ? null : PrometheusCheck.read(prom);
    return new Analysis(rate, or(increase, d.maxErrorRateIncrease), or(confidence, d.confidence),
        or(ratio, d.maxP99Ratio), or(floor, d.minP99IncreaseMs), min == null ? d.minRequests : min,
        interval == null ? d.intervalSeconds : interval, limit == null ? d.failureLimit : limit,
        warmup == null ? d.warmupSeconds : warmup, prometheus);
  }

  private static double or(Double v, double d) {
    return v == null ? d : v;
  }
}
