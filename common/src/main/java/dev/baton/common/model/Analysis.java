package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Automated canary analysis, evaluated every {@code intervalSeconds} from gateway metrics over the
 * same window for canary and stable: the canary fails an interval when its error rate exceeds
 * {@code maxErrorRate} or its p99 exceeds {@code maxP99Ratio} × stable's p99. Fewer than
 * {@code minRequests} canary requests make an interval inconclusive (never a pass);
 * {@code failureLimit} failed intervals abort the release.
 */
public record Analysis(double maxErrorRate, double maxP99Ratio, int minRequests, int intervalSeconds,
                       int failureLimit) {

  public static Analysis defaults() {
    return new Analysis(0.01, 1.5, 50, 5, 2);
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxErrorRate", maxErrorRate).put("maxP99Ratio", maxP99Ratio)
        .put("minRequests", minRequests).put("intervalSeconds", intervalSeconds).put("failureLimit", failureLimit);
  }

  static Analysis read(Fields f) {
    Analysis d = defaults();
    Double rate = f.number("maxErrorRate", false, 0, 1);
    Double ratio = f.number("maxP99Ratio", false, 1, 1000);
    Integer min = f.integer("minRequests", false, 1, 10_000_000);
    Integer interval = f.integer("intervalSeconds", false, 1, 3600);
    Integer limit = f.integer("failureLimit", false, 1, 1000);
    return new Analysis(rate == null ? d.maxErrorRate : rate, ratio == null ? d.maxP99Ratio : ratio,
        min == null ? d.minRequests : min, interval == null ? d.intervalSeconds : interval,
        limit == null ? d.failureLimit : limit);
  }
}
