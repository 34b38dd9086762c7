package dev.baton.registry.release;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one release (nomad's deployment watcher): one look at a time, never two at once; a
 * {@link #kick()} during a look makes the next one start right after it.
 */
final class ReleaseWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);
  static final long LATER_MS = 500;
  private static final long AFTER_ERROR_MS = 2000;

  /** When to look again. */
  enum Next { NOW, LATER, DONE }

  private final Context context;
  private final String releaseId;
  private final Function<String, Future<Next>> look;
  private final Consumer<ReleaseWatcher> onDone;
  private long laterMs = LATER_MS;
  private long timer = -1;
  private boolean busy;
  private boolean again;
  private boolean cancelled;
  private Future<Void> current = Future.succeededFuture();

  ReleaseWatcher(Context context, String releaseId, Function<String, Future<Next>> look, Consumer<ReleaseWatcher> onDone) {
    this.context = context;
    this.releaseId = releaseId;
    this.look = look;
    this.onDone = onDone;
  }

  ReleaseWatcher every(long ms) {
    this.laterMs = ms;
    return this;
  }

  void kick() {
    if (cancelled) {
      return;
    }
    if (busy) {
      again = true;
      return;
    }
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    busy = true;
    current = look.apply(releaseId).transform(ar -> {
      busy = false;
      if (ar.failed()) {
        LOG.warn("release {}: look failed, retrying: {}", releaseId, ar.cause().toString());
        schedule(AFTER_ERROR_MS);
      } else if (ar.result() == Next.DONE) {
        cancelled = true;
        onDone.accept(this);
      } else {
        schedule(again || ar.result() == Next.NOW ? 0 : laterMs);
      }
      again = false;
      return Future.<Void>succeededFuture();
    });
  }

  private void schedule(long delay) {
    if (cancelled) {
      return;
    }
    if (delay == 0) {
      context.runOnContext(v -> kick());
    } else {
      timer = context.owner().setTimer(delay, t -> {
        timer = -1;
        kick();
      });
    }
  }

  /** Stops looking; completes when the look in flight (if any) has finished. */
  Future<Void> cancel() {
    cancelled = true;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
    return current;
  }
}
