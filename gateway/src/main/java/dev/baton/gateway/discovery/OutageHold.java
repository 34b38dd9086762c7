package dev.baton.gateway.discovery;

/**
 * Whether a Consul read may take away everything a source held, as a pure state machine (docs/ARCHITECTURE.md,
 * Gateway, "After a Consul outage"). A Consul agent that comes back from an outage reloads its services with their
 * checks critical until each runs once, and one restarted without its state lists nothing until the agents
 * register again: its first answers say "no passing instance" although nothing is wrong. So a read that follows an
 * outage (a failed read, or an index that went backwards) and would empty a source that held something is
 * <em>held</em>: the last view stands until a read brings something again or {@code settleMs} pass, whichever is
 * first. Reads that are not after an outage apply at once, empty or not: an app whose instances all fail is
 * not hidden.
 */
final class OutageHold {

  /** What to do with a read. */
  enum Verdict { APPLY, HOLD }

  private final long settleMs;
  private long holdingSinceMs = -1;

  OutageHold(long settleMs) {
    this.settleMs = settleMs;
  }

  /**
   * @param held        the source holds something now (instances, services)
   * @param loses       the read would remove what it holds (an empty list; services gone)
   * @param afterOutage the read is the first good one after an outage
   */
  Verdict decide(boolean held, boolean loses, boolean afterOutage, long nowMs) {
    if (!loses) {
      holdingSinceMs = -1;
      return Verdict.APPLY;
    }
    if (holdingSinceMs >= 0) {
      if (nowMs - holdingSinceMs >= settleMs) {
        holdingSinceMs = -1;
        return Verdict.APPLY;
      }
      return Verdict.HOLD;
    }
    if (afterOutage && held && settleMs > 0) {
      holdingSinceMs = nowMs;
      return Verdict.HOLD;
    }
    return Verdict.APPLY;
  }

  boolean holding() {
    return holdingSinceMs >= 0;
  }

  /** When the hold ends at the latest ({@code -1} when not holding). */
  long deadlineMs() {
    return holdingSinceMs < 0 ? -1 : holdingSinceMs + settleMs;
  }
}
