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
      return ReleaseState.withCommon(r, c -> c.withBlockedSince(null));
    }
    Long blockedSince = ReleaseState.of(r).common().blockedSince();
    long since = blockedSince == null ? now : blockedSince;
    long deadline = millis(r, registryMs);
    if (now - since <= deadline) {
      return ReleaseState.withCommon(r, c -> c.withBlockedSince(since));
    }
    String why = "no progress for " + deadline / 1000 + "s (progress deadline, " + source(r) + "): " + r.message();
    if (ReleaseState.of(before).aborting()) {
      return ReleaseState.withCommon(r, c -> c.withBlockedSince(null))
          .transition(ReleasePhase.FAILED, "rollback did not complete: " + why, at);
    }
    return ReleaseState.withCommon(r, c -> c.withBlockedSince(null).withAbort(why))
        .transition(ReleasePhase.PROGRESSING, "aborting: " + why, at);
  }
}
