package dev.baton.registry.release;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every strategy keeps in {@code Release.progress} (keys in {@link Progress}): the abort request, the operator's
 * pause and when it began, since when the release is blocked on the world (progress deadline), the failed rollback
 * attempts, when each new instance was first seen ready (minHealthySeconds), a canary's gradual abort stepping down,
 * and the release it rolls back. A null value is a key the release does not have; {@code healthySince} absent reads
 * empty. Immutable: every {@code with} returns a copy.
 */
public record CommonState(String abortReason, boolean paused, Long pausedAt, Long blockedSince, int rollbackFailures,
                          Map<String, Long> healthySince, StepDown stepDown, String rollbackOf) {

  static final CommonState NONE = new CommonState(null, false, null, null, 0, Map.of(), null, null);

  public CommonState {
    healthySince = Collections.unmodifiableMap(new LinkedHashMap<>(healthySince == null ? Map.of() : healthySince));
  }

  /** The reason the release is being rolled back; present = aborting. */
  public Optional<String> abort() {
    return Optional.ofNullable(abortReason);
  }

  /** The canary's gradual abort, while it steps down. */
  public Optional<StepDown> steppingDown() {
    return Optional.ofNullable(stepDown);
  }

  public CommonState withAbort(String reason) {
    return new CommonState(reason, paused, pausedAt, blockedSince, rollbackFailures, healthySince, stepDown,
        rollbackOf);
  }

  /** Paused by the operator at {@code at}, or (false, null) no longer. */
  public CommonState withPause(boolean isPaused, Long at) {
    return new CommonState(abortReason, isPaused, at, blockedSince, rollbackFailures, healthySince, stepDown,
        rollbackOf);
  }

  public CommonState withBlockedSince(Long since) {
    return new CommonState(abortReason, paused, pausedAt, since, rollbackFailures, healthySince, stepDown, rollbackOf);
  }

  public CommonState withRollbackFailures(int n) {
    return new CommonState(abortReason, paused, pausedAt, blockedSince, n, healthySince, stepDown, rollbackOf);
  }

  public CommonState withHealthySince(Map<String, Long> since) {
    return new CommonState(abortReason, paused, pausedAt, blockedSince, rollbackFailures, since, stepDown, rollbackOf);
  }

  public CommonState withStepDown(StepDown plan) {
    return new CommonState(abortReason, paused, pausedAt, blockedSince, rollbackFailures, healthySince, plan,
        rollbackOf);
  }

  /**
   * A canary's gradual abort ({@link GradualAbort}): the weights still to step back to, how long each is held, the
   * one in force ({@code index}), since when it is held (null: not routed yet) and the whole path in words.
   */
  public record StepDown(List<Double> weights, List<Integer> holds, int index, Long since, String path) {

    public StepDown {
      weights = List.copyOf(weights);
      holds = List.copyOf(holds);
    }

    /** True once every weight was held: the release now aborts. */
    public boolean over() {
      return index >= weights.size();
    }

    public double weight() {
      return weights.get(index);
    }

    public int hold() {
      return holds.get(index);
    }

    /** The current weight held from {@code now}. */
    public StepDown heldFrom(long now) {
      return new StepDown(weights, holds, index, now, path);
    }

    /** On to the next weight, not routed yet. */
    public StepDown next() {
      return new StepDown(weights, holds, index + 1, null, path);
    }
  }
}
