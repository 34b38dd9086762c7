package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The requests of one event loop that wait for a response head from an instance, so that when Consul marks the
 * instance's node failed each is decided at once instead of at the upstream timeout (docs/ARCHITECTURE.md, Gateway,
 * "Instances on a failed host", and "Host-lost bookkeeping per event loop"). A doubly linked list threaded through
 * the requests themselves and confined to its event loop: joining and leaving it, once per request, is a few field
 * writes, with no allocation, hashing or atomic operation. A lost host reaches it as one task on its event loop
 * ({@link TrafficVerticle#hostLost}), which walks it.
 */
final class AwaitingHeads {

  /** A request that may wait for a response head: a node of at most one list at a time. */
  abstract static class Waiter {
    private Waiter prev;
    private Waiter next;
    private AwaitingHeads list;

    /** The instance whose response head it waits for. */
    abstract Upstream awaited();

    /** {@code lost}'s node failed; called on the list's event loop, once the waiter has left the list. */
    abstract void hostLost(Upstream lost);
  }

  private Waiter head;
  private Waiter tail;
  private int size;

  /** {@code w} waits for a response head from {@link Waiter#awaited()}; nothing when it already does. */
  void add(Waiter w) {
    if (w.list != null) {
      return;
    }
    w.list = this;
    w.prev = tail;
    w.next = null;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    size++;
  }

  /** {@code w} waits no more (answered, failed or finished); nothing when it did not. */
  void remove(Waiter w) {
    if (w.list != this) {
      return;
    }
    if (w.prev == null) {
      head = w.next;
    } else {
      w.prev.next = w.next;
    }
    if (w.next == null) {
      tail = w.prev;
    } else {
      w.next.prev = w.prev;
    }
    w.prev = null;
    w.next = null;
    w.list = null;
    size--;
  }

  int size() {
    return size;
  }

  /**
   * On this list's event loop: every waiter awaiting one of {@code lost} leaves the list and is told. Those told may
   * retry elsewhere and so join the list again while it is walked: the walk first picks them, then tells them.
   * Returns how many were told.
   */
  int hostLost(Set<Upstream> lost) {
    List<Waiter> picked = new ArrayList<>();
    for (Waiter w = head; w != null; w = w.next) {
      if (lost.contains(w.awaited())) {
        picked.add(w);
      }
    }
    int told = 0;
    for (Waiter w : picked) {
      Upstream u = w.awaited();
      if (w.list == this && lost.contains(u)) {
        remove(w);
        w.hostLost(u);
        told++;
      }
    }
    return told;
  }
}
