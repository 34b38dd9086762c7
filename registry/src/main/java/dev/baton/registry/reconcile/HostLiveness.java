package dev.baton.registry.reconcile;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When a baton agent's host is {@link HostState#LIVE live}, {@link HostState#SUSPECT suspect} or
 * {@link HostState#LOST lost}, from two sources: discovery scans (every agent Consul knows, passing or not) and
 * the answers to LIST commands. An agent is live while it passes and answers; the time since it last did both
 * decides between suspect and lost, so one slow heartbeat or one failed LIST never moves an instance.
 *
 * <p>Time counts only while Consul answers the scans: the judgement uses the time of the last successful scan,
 * not the wall clock, so a Consul outage declares no host lost. An agent first seen not passing counts from the
 * moment this registry started watching (a new leader is as patient as the old one was). Pure apart from its
 * own table; thread-safe (docs/ARCHITECTURE.md, Registry, "Host liveness").
 */
public final class HostLiveness {

  private record Seen(long lastGoodMs, boolean passing, boolean answering) {
    boolean good() {
      return passing && answering;
    }
  }

  private final long lostMs;
  private final long sinceMs;
  private final Map<String, Seen> seen = new TreeMap<>();
  private long scannedAtMs;

  /**
   * @param lostMs  how long an agent may be not live before it is lost ({@code BATON_HOST_LOST_MS})
   * @param sinceMs when watching started
   */
  public HostLiveness(long lostMs, long sinceMs) {
    this.lostMs = lostMs;
    this.sinceMs = sinceMs;
    this.scannedAtMs = sinceMs;
  }

  /** A successful discovery scan at {@code nowMs}: every agent in Consul's catalog, and whether it passes. */
  public synchronized void scanned(Map<String, Boolean> passing, long nowMs) {
    scannedAtMs = Math.max(scannedAtMs, nowMs);
    Set<String> absent = new HashSet<>(seen.keySet());
    absent.removeAll(passing.keySet());
    absent.forEach(id -> seen.computeIfPresent(id, (k, s) -> new Seen(s.lastGoodMs(), false, s.answering())));
    passing.forEach((id, p) -> {
      Seen before = seen.get(id);
      Seen next = before == null ? new Seen(p ? nowMs : sinceMs, p, true)
          : new Seen(before.lastGoodMs(), p, before.answering());
      seen.put(id, next.good() ? new Seen(nowMs, true, true) : next);
    });
  }

  /** Whether the agent answered a LIST at {@code nowMs}; an agent never scanned is ignored. */
  public synchronized void answered(String agentId, boolean ok, long nowMs) {
    seen.computeIfPresent(agentId, (k, s) -> ok && s.passing() ? new Seen(Math.max(s.lastGoodMs(), nowMs), true, true)
        : new Seen(s.lastGoodMs(), s.passing(), ok));
  }

  /** The agent's state now; an agent never seen counts from when watching started. */
  public synchronized HostState state(String agentId) {
    Seen s = seen.get(agentId);
    if (s != null && s.good()) {
      return HostState.LIVE;
    }
    long lastGood = s == null ? sinceMs : s.lastGoodMs();
    return scannedAtMs - lastGood < lostMs ? HostState.SUSPECT : HostState.LOST;
  }

  /** Every agent seen so far and its state. */
  public synchronized Map<String, HostState> states() {
    Map<String, HostState> out = new TreeMap<>();
    seen.keySet().forEach(id -> out.put(id, state(id)));
    return out;
  }
}
