package dev.baton.registry.release;

/** Gateway metrics summed across gateways over a window, as canary analysis reads them. */
@FunctionalInterface
public interface MetricsView {

  /** Totals of one version over windows ending in {@code (fromMs, toMs]}. */
  Sample sum(String app, String version, long fromMs, long toMs);

  /**
   * Since when this view saw every gateway report, in ms: a registry that became leader after a failover has
   * metrics only from its own start, so an analysis window must not begin earlier (docs/ARCHITECTURE.md, Registry).
   */
  default long coverageStartMs() {
    return Long.MIN_VALUE;
  }

  /**
   * Requests, 5xx responses, and p50 and p99 (ms) of one version in a window, read from the latency histograms of
   * every gateway and second of the window merged bucket by bucket (docs/registry-api.md, "Canary analysis").
   */
  record Sample(long requests, long errors, double p50Ms, double p99Ms) {

    /** A sample whose median is not known (tests and callers that judge p99 only). */
    public Sample(long requests, long errors, double p99Ms) {
      this(requests, errors, 0, p99Ms);
    }

    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  MetricsView NONE = (app, version, from, to) -> new Sample(0, 0, 0);
}
