package dev.baton.gateway.proxy;

import dev.baton.gateway.GatewaySettings.UpstreamQueue;
import dev.baton.gateway.routing.Upstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The keep-alive connections of one event loop to each instance (docs/ARCHITECTURE.md, Gateway, "Upstream
 * connections"): per instance a LIFO stack of idle connections, a count of open ones bounded by
 * {@code BATON_UPSTREAM_POOL_SIZE}, and a FIFO of requests waiting for one, bounded by
 * {@code BATON_UPSTREAM_QUEUE_SIZE} and {@code BATON_UPSTREAM_QUEUE_TIMEOUT_MS}. Taking and giving back a
 * connection is O(1) whatever the number of connections: Vert.x's own pool scans every connection of an endpoint
 * on each request and goes through its endpoint map, its lock-free executor and two futures, a cost that grew with
 * the connection count (bench/README.md). Connections come from {@link HttpClientAgent#connect}, so the client's
 * options (connect timeout, TCP settings, the idle timeout that bounds an instance's silence) still apply.
 * <p>Confined to its event loop: every call, and every connection's close handler, runs there.
 */
final class UpstreamConnections {

  /** A connection idle this long is closed rather than reused (the client's keep-alive timeout). */
  static final long KEEP_ALIVE_MS = 30_000;
  static final long SWEEP_MS = 5_000;
  private static final long KEEP_ALIVE_SWEEPS = KEEP_ALIVE_MS / SWEEP_MS;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int maxPerInstance;
  private final UpstreamQueue queue;
  private final Map<Upstream, Slot> slots = new HashMap<>();
  /** Sweeps done: an idle connection remembers the sweep it was put back after, instead of reading a clock. */
  private long sweeps;
  private final long timer;

  UpstreamConnections(Vertx vertx, HttpClientAgent client, int maxPerInstance, UpstreamQueue queue) {
    this.vertx = vertx;
    this.client = client;
    this.maxPerInstance = maxPerInstance;
    this.queue = queue;
    this.timer = vertx.setPeriodic(SWEEP_MS, t -> sweep());
  }

  /** One connection to one instance, lent to one exchange at a time. */
  static final class Pooled {
    final HttpClientConnection connection;
    private final Slot slot;
    private boolean closed;
    private long since;

    private Pooled(HttpClientConnection connection, Slot slot) {
      this.connection = connection;
      this.slot = slot;
    }

    /** The authority of a request on this connection ({@link Slot#authority}). */
    HostAndPort authority() {
      return slot.authority;
    }
  }

  /**
   * A connection to {@code u} for one exchange, handed to {@code done} on this event loop: an idle one, a new one
   * while fewer than the limit are open, else the first to come free. Fails with {@link ConnectionPoolTooBusyException}
   * when the queue is full, a {@link TimeoutException} when none came free in time, or the connect's own failure.
   */
  void acquire(Upstream u, Handler<AsyncResult<Pooled>> done) {
    Slot s = slots.get(u);
    if (s == null) {
      s = new Slot(u);
      slots.put(u, s);
    }
    Pooled idle = s.pop(sweeps);
    if (idle != null) {
      done.handle(Future.succeededFuture(idle));
    } else if (s.open < maxPerInstance) {
      connect(s, done);
    } else if (s.waiters.size() >= queue.size()) {
      done.handle(Future.failedFuture(new ConnectionPoolTooBusyException("the wait queue for " + u.address()
          + " is full (" + queue.size() + ")")));
    } else {
      Waiter w = new Waiter(done);
      Slot slot = s;
      slot.waiters.add(w);
      w.timer = vertx.setTimer(Math.max(1, queue.timeoutMs()), t -> {
        if (slot.waiters.remove(w)) {
          done.handle(Future.failedFuture(new TimeoutException("no connection to " + u.address()
              + " came free within " + queue.timeoutMs() + " ms")));
        }
      });
    }
  }

  /** {@code p} finished its exchange whole and may carry another: to the first waiter, else idle on the stack. */
  void recycle(Pooled p) {
    if (p.closed) {
      return;
    }
    Waiter w = p.slot.waiters.poll();
    if (w != null) {
      vertx.cancelTimer(w.timer);
      w.done.handle(Future.succeededFuture(p));
      return;
    }
    p.since = sweeps;
    p.slot.idle.push(p);
  }

  /** {@code p} cannot carry another exchange (reset, broken, answered with {@code Connection: close}): closed. */
  void discard(Pooled p) {
    if (!p.closed) {
      p.connection.close();
    }
  }

  private void connect(Slot s, Handler<AsyncResult<Pooled>> done) {
    s.open++;
    Upstream u = s.upstream;
    client.connect(new HttpConnectOptions().setServer(u.address()).setHost(u.info().host()).setPort(u.info().port()))
        .onComplete(ar -> {
          if (ar.failed()) {
            s.open--;
            done.handle(Future.failedFuture(ar.cause()));
            next(s);
            return;
          }
          Pooled p = new Pooled(ar.result(), s);
          p.connection.closeHandler(v -> closed(p));
          done.handle(Future.succeededFuture(p));
        });
  }

  private void closed(Pooled p) {
    if (p.closed) {
      return;
    }
    p.closed = true;
    Slot s = p.slot;
    s.open--;
    s.idle.remove(p);
    next(s);
  }

  /** A place came free: the first waiter, if any, gets a new connection. */
  private void next(Slot s) {
    if (s.open < maxPerInstance) {
      Waiter w = s.waiters.poll();
      if (w != null) {
        vertx.cancelTimer(w.timer);
        connect(s, w.done);
      }
    }
  }

  /** Closes connections idle for {@link #KEEP_ALIVE_MS}, and forgets instances with nothing open or waiting. */
  private void sweep() {
    long old = ++sweeps - KEEP_ALIVE_SWEEPS;
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot s = it.next();
      Pooled p;
      while ((p = s.idle.peekLast()) != null && p.since <= old) {
        s.idle.pollLast().connection.close();
      }
      if (s.open == 0 && s.waiters.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Closes every idle connection and stops sweeping; busy ones end with their exchanges. */
  void close() {
    vertx.cancelTimer(timer);
    slots.values().forEach(s -> new ArrayDeque<>(s.idle).forEach(p -> p.connection.close()));
  }

  /** Connections open (idle or lent) to {@code u} on this event loop. */
  int open(Upstream u) {
    Slot s = slots.get(u);
    return s == null ? 0 : s.open;
  }

  /** Idle connections to {@code u} on this event loop. */
  int idle(Upstream u) {
    Slot s = slots.get(u);
    return s == null ? 0 : s.idle.size();
  }

  private static final class Waiter {
    final Handler<AsyncResult<Pooled>> done;
    long timer;

    Waiter(Handler<AsyncResult<Pooled>> done) {
      this.done = done;
    }
  }

  private static final class Slot {
    final Upstream upstream;
    /**
     * The instance's {@code host:port} ({@code host} alone on port 80) as one host without a port: the text Vert.x
     * sends as {@code Host} when the client sent none (HTTP/1.0), and that a request otherwise builds twice per
     * request from its connection's authority (docs/ARCHITECTURE.md, "Gateway per-request costs").
     */
    final HostAndPort authority;
    /** Idle connections, the most recently used first. */
    final ArrayDeque<Pooled> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Connections established or being established, and not closed. */
    int open;

    Slot(Upstream upstream) {
      this.upstream = upstream;
      int port = upstream.info().port();
      String host = upstream.info().host();
      this.authority = HostAndPort.create(port == 80 ? host : host + ':' + port, -1);
    }

    /** The most recently used idle connection, or null; those idle past the keep-alive are closed on the way. */
    Pooled pop(long sweeps) {
      Pooled p;
      while ((p = idle.poll()) != null) {
        if (sweeps - p.since < KEEP_ALIVE_SWEEPS) {
          return p;
        }
        p.connection.close();
      }
      return null;
    }
  }
}
