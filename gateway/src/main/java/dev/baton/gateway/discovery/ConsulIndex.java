package dev.baton.gateway.discovery;

/**
 * The index rules of Consul blocking queries (Consul docs, "Blocking Queries"), as pure functions.
 * <ul>
 *   <li>The first read uses index 0 (answers at once). After that 0 is never sent again.</li>
 *   <li>An index below 1 is treated as 1.</li>
 *   <li>An index that went backwards (a Consul restart, a snapshot restore) is reset to 1, so the next
 *       read answers at once with fresh data instead of blocking until the old index comes round.</li>
 *   <li>After an error the index is reset to 1 for the same reason: the Consul we reach next may be a
 *       fresh one whose index is far below ours.</li>
 * </ul>
 */
public final class ConsulIndex {

  /** The index of a loop that has not read yet. */
  public static final long INITIAL = 0;

  private ConsulIndex() {
  }

  /** The index to send next, given the one we sent and the one Consul returned. */
  public static long next(long sent, long returned) {
    if (returned < 1) {
      return 1;
    }
    if (returned < sent) {
      return 1;
    }
    return returned;
  }

  /** True when Consul answered below an index it gave us before: it restarted or was restored from a snapshot. */
  public static boolean wentBackwards(long sent, long returned) {
    return sent > 1 && returned < sent;
  }

  /** The index to send after a failed read. */
  public static long afterError(long sent) {
    return sent == INITIAL ? INITIAL : 1;
  }

  /** True when a response at {@code returned} may carry news compared with what we hold at {@code sent}. */
  public static boolean changed(long sent, long returned) {
    return sent == INITIAL || returned != sent;
  }
}
