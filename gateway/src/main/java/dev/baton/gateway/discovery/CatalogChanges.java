package dev.baton.gateway.discovery;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether the health state accounts for each catalog change that moved no service name or tag (docs/ARCHITECTURE.md,
 * Gateway, "Watching Consul with a constant number of connections"). A registration, deregistration or modification
 * of an instance with a check changes a check at the same Consul index ({@link HealthState#changeIndexes}); a catalog
 * change at an index no check shows, once the health state has read past it or after {@code waitMs} (a service
 * without checks moves no check, so the health state may never get there), changed an instance no check names, and
 * the caller reads every service. Pure: the caller passes the clock.
 */
final class CatalogChanges {

  private static final int INDEXES_KEPT = 4096;

  private final long waitMs;
  private final TreeSet<Long> changeIndexes = new TreeSet<>();
  private final TreeMap<Long, Long> pending = new TreeMap<>();

  CatalogChanges(long waitMs) {
    this.waitMs = waitMs;
  }

  /** A health state answer moved from {@code before} to {@code after}. */
  void stateRead(HealthState before, HealthState after) {
    changeIndexes.addAll(HealthState.changeIndexes(before, after));
    while (changeIndexes.size() > INDEXES_KEPT) {
      changeIndexes.pollFirst();
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
      if (changeIndexes.contains(e.getKey())) {
        it.remove();
      } else if (stateIndex >= e.getKey() || nowMs >= e.getValue()) {
        it.remove();
        readAll = true;
      }
    }
    return readAll;
  }
}
