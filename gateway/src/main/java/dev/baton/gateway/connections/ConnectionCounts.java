package dev.baton.gateway.connections;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open client connections, in all and per capped address: {@link #admit} takes a slot or says which cap is full,
 * {@link #release} gives it back when the connection closes. Admission runs on the acceptor thread, release on
 * each connection's event loop, hence the atomic counters.
 */
public final class ConnectionCounts {

  /** The outcome of {@link #admit}. */
  public enum Verdict { ADMITTED, OVER_GLOBAL, OVER_CLIENT }

  private final int max;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  public ConnectionCounts(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /** Takes a slot for a connection from {@code peer}; {@code capped}: whether the per-client cap applies to it. */
  public Verdict admit(InetAddress peer, boolean capped) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return Verdict.OVER_GLOBAL;
    }
    if (capped) {
      boolean[] taken = {false};
      perClient.compute(peer, (k, n) -> {
        int c = n == null ? 0 : n;
        if (c >= maxPerClient) {
          return n;
        }
        taken[0] = true;
        return c + 1;
      });
      if (!taken[0]) {
        open.decrementAndGet();
        return Verdict.OVER_CLIENT;
      }
    }
    return Verdict.ADMITTED;
  }

  /** Gives back the slot of a closed connection that {@link #admit} admitted with the same arguments. */
  public void release(InetAddress peer, boolean capped) {
    open.decrementAndGet();
    if (capped) {
      perClient.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  public int open() {
    return open.get();
  }

  /** Open connections of one capped address. */
  public int open(InetAddress peer) {
    return perClient.getOrDefault(peer, 0);
  }

  /** Capped addresses with at least one open connection. */
  public int clients() {
    return perClient.size();
  }
}
