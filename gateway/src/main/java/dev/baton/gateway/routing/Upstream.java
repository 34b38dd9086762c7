package dev.baton.gateway.routing;

import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime state of one instance, shared by every route table that lists it: requests in flight,
 * passive ejection, and whether a drain asked us to stop picking it. Thread-safe; the hot path touches
 * only atomics and volatiles, never a lock.
 */
public final class Upstream {

  private final InstanceInfo info;
  private final SocketAddress address;
  private final Ejection ejection;
  private final UpstreamObserver observer;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveConnectFailures = new AtomicInteger();
  private final AtomicInteger consecutiveServerErrors = new AtomicInteger();
  private volatile boolean lastAnswerGood;
  private volatile long ejectedUntil;
  private volatile int ejections;
  private volatile boolean draining;

  public Upstream(InstanceInfo info, Ejection ejection, UpstreamObserver observer) {
    this.info = info;
    this.address = SocketAddress.inetSocketAddress(info.port(), info.host());
    this.ejection = ejection;
    this.observer = observer;
  }

  public InstanceInfo info() {
    return info;
  }

  public SocketAddress address() {
    return address;
  }

  public UpstreamObserver observer() {
    return observer;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void acquire() {
    inFlight.incrementAndGet();
    observer.started();
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  public boolean draining() {
    return draining;
  }

  /** Stops new requests to this instance for good: its state is dropped once it leaves the table. */
  public void markDraining() {
    draining = true;
  }

  /**
   * Consul marks this instance's node failed (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"): no new
   * request picks it. The requests still waiting for its response head are each event loop's to tell
   * ({@code TrafficVerticle.hostLost}), after this: a request that picks an instance does so on its event loop, so
   * once that loop has walked its waiting requests none can pick this one any more.
   */
  public void hostLost() {
    draining = true;
  }

  /** True while an ejection runs; a success (panic mode may pick an ejected instance) ends it early. */
  public boolean ejected(long nowNanos) {
    return ejections != 0 && nowNanos - ejectedUntil < 0;
  }

  public long ejectedUntilNanos() {
    return ejectedUntil;
  }

  public int consecutiveConnectFailures() {
    return consecutiveConnectFailures.get();
  }

  public int consecutiveServerErrors() {
    return consecutiveServerErrors.get();
  }

  /**
   * The instance answered (a response head arrived, not a 5xx): the failure streaks and the ejection back-off
   * start over.
   */
  public void connectSucceeded() {
    if (consecutiveConnectFailures.get() != 0) {
      consecutiveConnectFailures.set(0);
    }
    if (consecutiveServerErrors.get() != 0) {
      consecutiveServerErrors.set(0);
    }
    if (!lastAnswerGood) {
      lastAnswerGood = true;
    }
    if (ejections != 0) {
      ejections = 0;
    }
  }

  /**
   * The instance answered with a 5xx of its own: it connects (the connect streak starts over), but the answer
   * counts towards outlier ejection, which happens only while another instance of {@code version} is in rotation
   * and not failing the same way (gateway/README.md, "Outlier ejection"). Returns true when this answer ejected
   * the instance.
   */
  public boolean answeredServerError(long nowNanos, VersionRoute version) {
    if (consecutiveConnectFailures.get() != 0) {
      consecutiveConnectFailures.set(0);
    }
    if (lastAnswerGood) {
      lastAnswerGood = false;
    }
    int limit = ejection.serverErrors();
    if (limit <= 0 || consecutiveServerErrors.incrementAndGet() < limit || !answeringSibling(version, nowNanos)) {
      return false;
    }
    synchronized (this) {
      if (ejected(nowNanos)) {
        return false;
      }
      consecutiveServerErrors.set(0);
      eject(nowNanos);
      return true;
    }
  }

  /** Another instance of the version in rotation whose last answer was not a 5xx. */
  private boolean answeringSibling(VersionRoute version, long nowNanos) {
    for (Upstream u : version.upstreamArray()) {
      if (u != this && u.lastAnswerGood && !u.draining() && !u.ejected(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /** Counts a connect failure; returns true when this failure ejected the instance. */
  public boolean connectFailed(long nowNanos) {
    observer.connectFailed();
    return failed(nowNanos);
  }

  /**
   * Counts a request that a connection carried to this instance but that got no response byte (reset
   * or closed): an instance dying under SIGKILL fails this way on pooled connections before its port
   * refuses connections, and it must leave the rotation as fast as one that refuses. Returns true when
   * this failure ejected the instance.
   */
  public boolean failedBeforeResponse(long nowNanos) {
    return failed(nowNanos);
  }

  private boolean failed(long nowNanos) {
    if (consecutiveConnectFailures.incrementAndGet() < ejection.threshold()) {
      return false;
    }
    synchronized (this) {
      if (ejected(nowNanos)) {
        return false;
      }
      consecutiveConnectFailures.set(0);
      eject(nowNanos);
      return true;
    }
  }

  private void eject(long nowNanos) {
    int n = ejections + 1;
    ejections = n;
    ejectedUntil = nowNanos + ejection.periodNanos(n);
  }

  @Override
  public String toString() {
    return info.key();
  }
}
