package dev.baton.registry.release;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A canary release's bookkeeping in {@code Release.progress} ({@link CanaryPlanner}): when the current step's route was
 * in force ({@code stepStartedAt}), the step the operator promoted ({@code promote}), the analysis counters
 * ({@code analysis}) and every judged interval ({@code analysisHistory}, {@link AnalysisHistory}). Null: not yet;
 * absent counters and history read empty.
 */
public record CanaryState(Long stepStartedAt, Integer promotedStep, Counters analysis, List<JsonObject> history) {

  static final CanaryState NONE = new CanaryState(null, null, Counters.NONE, List.of());

  public CanaryState {
    analysis = analysis == null ? Counters.NONE : analysis;
    history = history.stream().map(JsonObject::copy).toList();
  }

  /** True when the operator promoted step {@code step}. */
  public boolean promoted(int step) {
    return promotedStep != null && promotedStep == step;
  }

  public CanaryState withStepStartedAt(Long at) {
    return new CanaryState(at, promotedStep, analysis, history);
  }

  public CanaryState withPromotedStep(Integer step) {
    return new CanaryState(stepStartedAt, step, analysis, history);
  }

  public CanaryState withAnalysis(Counters next) {
    return new CanaryState(stepStartedAt, promotedStep, next, history);
  }

  /** With {@code interval} appended to the history, the oldest dropped past {@code limit}. */
  public CanaryState withInterval(JsonObject interval, int limit) {
    List<JsonObject> next = new ArrayList<>(history);
    next.add(interval);
    return new CanaryState(stepStartedAt, promotedStep, analysis, next.subList(Math.max(0, next.size() - limit),
        next.size()));
  }

  /**
   * The analysis counters ({@code progress.analysis}): when the last interval ended ({@code lastAt}), failed, passed
   * (this step, all steps) and inconclusive intervals, the last verdict in words, how many canary instances had
   * traffic and until when they warm up. A null counter is one the release never wrote (today's JSON writes
   * {@code stepPasses: 0} when a step ends, and nothing before); {@code extra} keeps keys this version does not know.
   */
  public record Counters(Long lastAt, Integer failures, Integer stepPasses, Integer passes, Integer inconclusive,
                         String last, Integer canaryReady, Long warmUntil, JsonObject extra) {

    static final Counters NONE = new Counters(null, null, null, null, null, null, null, null, new JsonObject());

    public Counters {
      extra = extra == null ? new JsonObject() : extra.copy();
    }

    public int failureCount() {
      return failures == null ? 0 : failures;
    }

    public int stepPassCount() {
      return stepPasses == null ? 0 : stepPasses;
    }

    public int readyCanaries() {
      return canaryReady == null ? 0 : canaryReady;
    }

    /** {@code ready} canary instances get their first traffic now: the analysis leaves them out until {@code until}. */
    public Counters warmingUp(int ready, long until) {
      return new Counters(lastAt, failures, stepPasses, passes, inconclusive, last, ready, until, extra);
    }

    /** An interval ending at {@code at} judged {@code outcome}, for {@code reason}. */
    public Counters judged(long at, String reason, CanaryAnalysis.Outcome outcome) {
      return switch (outcome) {
        case PASS -> new Counters(at, failures, stepPassCount() + 1, (passes == null ? 0 : passes) + 1, inconclusive,
            reason, canaryReady, warmUntil, extra);
        case FAIL -> new Counters(at, failureCount() + 1, stepPasses, passes, inconclusive, reason, canaryReady,
            warmUntil, extra);
        case INCONCLUSIVE -> new Counters(at, failures, stepPasses, passes, (inconclusive == null ? 0 : inconclusive)
            + 1, reason, canaryReady, warmUntil, extra);
      };
    }

    /** On to the next step: no pass counted for it yet, no verdict to show. */
    public Counters nextStep() {
      return new Counters(lastAt, failures, 0, passes, inconclusive, null, canaryReady, warmUntil, extra);
    }
  }
}
