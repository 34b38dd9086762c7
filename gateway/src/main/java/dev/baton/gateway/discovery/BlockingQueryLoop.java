package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulRefusedException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Consul blocking query run in a loop: read at an index, hand changed values to {@code onChange},
 * read again at the returned index ({@link ConsulIndex}). On error it keeps the last value (it simply
 * does not call {@code onChange}), records staleness in its {@link SourceHealth}, and retries after a
 * jittered {@link Backoff} capped at one second. A refusal ({@link ConsulRefusedException}: the ACL
 * token, HTTPS) before the first successful read fails {@link #start()} at once. All callbacks run on the Vert.x context that called
 * {@link #start()}.
 *
 * @param <T> the value a read yields
 */
public final class BlockingQueryLoop<T> {

  /** A read's value and the {@code X-Consul-Index} it came with. */
  public record Result<T>(T value, long index) {
  }

  /** Takes a changed value; {@code afterOutage} when it is the first good read after a failed one or a Consul restart. */
  public interface Listener<T> {
    void changed(T value, boolean afterOutage);
  }

  private static final Logger LOG = LoggerFactory.getLogger(BlockingQueryLoop.class);

  private final Vertx vertx;
  private final LongFunction<Future<Result<T>>> query;
  private final Listener<T> onChange;
  private final SourceHealth health;
  private final Backoff backoff;
  private final Promise<Void> firstRead = Promise.promise();
  private long index = ConsulIndex.INITIAL;
  private volatile boolean stopped;

  public BlockingQueryLoop(Vertx vertx, String name, LongFunction<Future<Result<T>>> query, Consumer<T> onChange,
                           Backoff backoff) {
    this(vertx, name, query, (value, afterOutage) -> onChange.accept(value), backoff);
  }

  public BlockingQueryLoop(Vertx vertx, String name, LongFunction<Future<Result<T>>> query, Listener<T> onChange,
                           Backoff backoff) {
    this.vertx = vertx;
    this.query = query;
    this.onChange = onChange;
    this.health = new SourceHealth(name);
    this.backoff = backoff;
  }

  /** Starts reading; the future completes after the first successful read has been handed over. */
  public Future<Void> start() {
    read();
    return firstRead.future();
  }

  public void stop() {
    stopped = true;
  }

  public SourceHealth health() {
    return health;
  }

  long index() {
    return index;
  }

  private void read() {
    if (stopped) {
      return;
    }
    long sent = index;
    query.apply(sent).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        Result<T> r = ar.result();
        boolean wasStale = health.stale();
        health.succeeded(System.currentTimeMillis());
        if (wasStale) {
          LOG.info("consul {}: reachable again", health.name());
        }
        index = ConsulIndex.next(sent, r.index());
        if (ConsulIndex.changed(sent, r.index()) || wasStale) {
          deliver(r.value(), wasStale || ConsulIndex.wentBackwards(sent, r.index()));
        }
        firstRead.tryComplete();
        // Not read() here: this callback runs before the client takes the connection back, so the next query
        // would open a second one and every loop would hold two, against Consul's per-client connection limit
        // (docs/ARCHITECTURE.md, "Control-plane latency").
        vertx.runOnContext(v -> read());
      } else {
        int failures = health.failed(System.currentTimeMillis(), ar.cause());
        if (failures == 1) {
          LOG.warn("consul {}: read failed, keeping the last good view and retrying: {}", health.name(),
              ar.cause() instanceof ConsulRefusedException ? ar.cause().getMessage() : ar.cause().toString());
        }
        if (ar.cause() instanceof ConsulRefusedException) {
          firstRead.tryFail(ar.cause()); // before the first read: fail the start, retrying will not help
        }
        index = ConsulIndex.afterError(sent);
        vertx.setTimer(backoff.delayMs(failures, ThreadLocalRandom.current()), t -> read());
      }
    });
  }

  private void deliver(T value, boolean afterOutage) {
    try {
      onChange.changed(value, afterOutage);
    } catch (RuntimeException e) {
      LOG.error("consul {}: applying a change failed", health.name(), e);
    }
  }
}
