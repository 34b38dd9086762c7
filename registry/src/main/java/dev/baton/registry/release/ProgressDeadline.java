package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;

/**
 * The progress deadline, a pure decision (docs/registry-api.md, "Strategies"): a release blocked on the world
 * (instances, gateways, traffic; never a pause or an operator) longer than its deadline aborts, or fails when it was
 * already aborting. The deadline is the strategy's {@code progressDeadlineSeconds} when it has one, else the
 * registry's {@code BATON_PROGRESS_DEADLINE_SECONDS}; the message names which.
 */
final class ProgressDeadline {

  private ProgressDeadline() {
  }

  /** The deadline in ms {@code r} runs with. */
  static long millis(Release r, long registryMs) {
    Integer own = r.strategy().progressDeadlineSeconds();
    return own != null ? own * 1000L : registryMs;
  }

  /** Where {@code r}'s deadline comes from, for the message on expiry. */
  static String source(Release r) {
    return r.strategy().progressDeadlineSeconds() != null ? "the release's strategy.progressDeadlineSeconds"
        : "the registry's BATON_PROGRESS_DEADLINE_SECONDS";
  }

  /**
   * The decided release with its blocked-since bookkeeping: cleared when not blocked, set when it starts, and past
   * the deadline an abort (or, when {@code before} was already aborting, FAILED). {@code at} stamps the history.
   */
  static Release apply(Decision decision, Release before, long now, long registryMs, String at) {
    Release r = decision.release();
    if (!decision.blocked()) {
      return r.progress().containsKey(Progress.BLOCKED_SINCE) ? PlanContext.without(r, Progress.BLOCKED_SINCE) : r;
    }
    long since = r.progress().getLong(Progress.BLOCKED_SINCE, now);
    long deadline = millis(r, registryMs);
    if (now - since <= deadline) {
      return r.progress().containsKey(Progress.BLOCKED_SINCE) ? r : PlanContext.with(r, Progress.BLOCKED_SINCE, now);
    }
    String why = "no progress for " + deadline / 1000 + "s (progress deadline, " + source(r) + "): " + r.message();
    Release cleared = PlanContext.without(r, Progress.BLOCKED_SINCE);
    if (before.progress().containsKey(Progress.ABORT)) {
      return cleared.transition(ReleasePhase.FAILED, "rollback did not complete: " + why, at);
    }
    return PlanContext.with(cleared, Progress.ABORT, why).transition(ReleasePhase.PROGRESSING, "aborting: " + why, at);
  }
}
