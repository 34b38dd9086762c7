package dev.baton.gateway.discovery;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the health state accounts for each catalog change that moved no service name or tag (docs/ARCHITECTURE.md,
 * Gateway, "Watching Consul with a constant number of connections"). A registration, deregistration or modification
 * of an instance with a check changes a check at the same Consul index. The health state is seen in answers that
 * each cover a range of indexes, and a check changed twice within one (registered critical, then passing) shows only
 * its last index: so a catalog change is accounted for when it falls in the range of an answer whose checks changed
 * ({@link HealthState#changeIndexes}). One the health state has read past without such a change, or that it has not
 * reached within {@code waitMs} (a service without checks moves no check), changed an instance no check names, and
 * the caller reads every service. Pure: the caller passes the clock.
 */
final class CatalogChanges {

  private static final int INDEXES_KEPT = 4096;

  private final long waitMs;
  private final TreeMap<Long, Long> changedRanges = new TreeMap<>(); // first index -> last index of an answer
  private final TreeMap<Long, Long> pending = new TreeMap<>();

  CatalogChanges(long waitMs) {
    this.waitMs = waitMs;
  }

  /** A health state answer moved from {@code before} to {@code after}. */
  void stateRead(HealthState before, HealthState after) {
    if (!HealthState.changeIndexes(before, after).isEmpty()) {
      changedRanges.put(before.index() + 1, after.index());
      while (changedRanges.size() > INDEXES_KEPT) {
        changedRanges.pollFirstEntry();
      }
    }
  }

  /** The catalog moved to {@code index} without a name or tag changing. */
  void catalogMoved(long index, long nowMs) {
    pending.put(index, nowMs + waitMs);
  }

  boolean pending() {
    return !pending.isEmpty();
  }

  /**
   * Settles what can be settled with the health state at {@code stateIndex}: true when some catalog change turned
   * out unaccounted for, so every service must be read.
   */
  boolean unaccounted(long stateIndex, long nowMs) {
    boolean readAll = false;
    for (Iterator<Map.Entry<Long, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> e = it.next();
      Map.Entry<Long, Long> range = changedRanges.floorEntry(e.getKey());
      if (range != null && e.getKey() <= range.getValue()) {
        it.remove();
      } else if (stateIndex >= e.getKey() || nowMs >= e.getValue()) {
        it.remove();
        readAll = true;
      }
    }
    return readAll;
  }
}
