package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The timing fields every strategy takes (docs/registry-api.md, "Strategies"): {@code progressDeadlineSeconds},
 * how long the release may stay blocked on the world before it aborts (null: the registry's
 * {@code BATON_PROGRESS_DEADLINE_SECONDS}), and {@code minHealthySeconds}, how long a new instance must stay ready
 * before it counts for a step, a promotion or a replacement.
 */
public record StrategyTiming(Integer progressDeadlineSeconds, int minHealthySeconds) {

  public static final StrategyTiming DEFAULT = new StrategyTiming(null, 0);
  public static final int MIN_DEADLINE_SECONDS = 10;
  public static final int MAX_DEADLINE_SECONDS = 86_400;
  public static final int MAX_MIN_HEALTHY_SECONDS = 3_600;

  /** The fields, flat in the strategy's JSON; an absent deadline is shown as null. */
  JsonObject putInto(JsonObject strategy) {
    return strategy.put("progressDeadlineSeconds", progressDeadlineSeconds).put("minHealthySeconds", minHealthySeconds);
  }

  /** Reads both fields of a strategy object, recording errors in {@code f}; null when either is invalid. */
  static StrategyTiming read(Fields f) {
    Integer deadline = f.integer("progressDeadlineSeconds", false, MIN_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS);
    Integer minHealthy = f.integer("minHealthySeconds", false, 0, MAX_MIN_HEALTHY_SECONDS);
    if (deadline == null && f.has("progressDeadlineSeconds") || minHealthy == null && f.has("minHealthySeconds")) {
      return null;
    }
    if (deadline != null && minHealthy != null && deadline <= minHealthy) {
      // Waiting for an instance to stay ready is waiting on the world, which the deadline measures (as a Kubernetes
      // Deployment requires progressDeadlineSeconds > minReadySeconds).
      f.error("progressDeadlineSeconds", "must be greater than minHealthySeconds (" + minHealthy
          + "): the release would abort while its instances are still proving themselves");
      return null;
    }
    return new StrategyTiming(deadline, minHealthy == null ? 0 : minHealthy);
  }
}
