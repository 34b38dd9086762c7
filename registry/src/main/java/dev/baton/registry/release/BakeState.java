package dev.baton.registry.release;

import io.vertx.core.json.JsonObject;

/**
 * The bake's bookkeeping in {@code progress.bake} ({@link Bake}): the previous version's recorded baseline, when the
 * bake started and until when the new version warms up, when the last interval ended and its verdict in words, the
 * passed, failed and inconclusive intervals, and whether the bake passed. A null value is one the bake does not have
 * yet; {@code extra} keeps keys this version does not know.
 */
public record BakeState(Baseline baseline, Long startedAt, Long warmUntil, Long lastAt, String last, Integer passes,
                        Integer failures, Integer inconclusive, Boolean passed, JsonObject extra) {

  public BakeState {
    extra = extra == null ? new JsonObject() : extra.copy();
  }

  /** The previous version's figures over {@code [fromMs, toMs]} before the release, from the gateways' metrics. */
  public record Baseline(String version, long fromMs, long toMs, long requests, long errors, double p50Ms,
                         double p99Ms) {

    MetricsView.Sample sample() {
      return new MetricsView.Sample(requests, errors, p50Ms, p99Ms);
    }
  }

  static BakeState of(Baseline baseline) {
    return new BakeState(baseline, null, null, null, null, null, null, null, null, new JsonObject());
  }

  public boolean started() {
    return startedAt != null;
  }

  public boolean hasPassed() {
    return Boolean.TRUE.equals(passed);
  }

  public int passCount() {
    return passes == null ? 0 : passes;
  }

  public int failureCount() {
    return failures == null ? 0 : failures;
  }

  public int inconclusiveCount() {
    return inconclusive == null ? 0 : inconclusive;
  }

  BakeState start(long now, long until) {
    return new BakeState(baseline, now, until, lastAt, last, passes, failures, inconclusive, passed, extra);
  }

  BakeState pass() {
    return new BakeState(baseline, startedAt, warmUntil, lastAt, last, passes, failures, inconclusive, true, extra);
  }

  /** An interval ending at {@code at} judged {@code outcome}, for {@code reason}. */
  BakeState judged(long at, String reason, CanaryAnalysis.Outcome outcome) {
    return switch (outcome) {
      case PASS -> new BakeState(baseline, startedAt, warmUntil, at, reason, passCount() + 1, failures, inconclusive,
          passed, extra);
      case FAIL -> new BakeState(baseline, startedAt, warmUntil, at, reason, passes, failureCount() + 1, inconclusive,
          passed, extra);
      case INCONCLUSIVE -> new BakeState(baseline, startedAt, warmUntil, at, reason, passes, failures,
          inconclusiveCount() + 1, passed, extra);
    };
  }

  /** The bake's timers moved on by {@code heldMs} (an operator's pause). */
  BakeState held(long heldMs) {
    return new BakeState(baseline, plus(startedAt, heldMs), plus(warmUntil, heldMs), plus(lastAt, heldMs), last, passes,
        failures, inconclusive, passed, extra);
  }

  private static Long plus(Long at, long ms) {
    return at == null ? null : at + ms;
  }
}
