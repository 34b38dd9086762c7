package dev.baton.agent.instance;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Messages handled one at a time, in the order posted, on one Vert.x context: a message posted from elsewhere
 * hops onto it, and one posted while another is being handled (an action whose future was already complete)
 * waits until that one is done. No locks: the context's event loop is the only thread that touches the queue.
 */
final class Mailbox<M> {

  private final Context context;
  private final Consumer<M> receiver;
  private final Deque<M> queue = new ArrayDeque<>();
  private boolean busy;

  Mailbox(Context context, Consumer<M> receiver) {
    this.context = context;
    this.receiver = receiver;
  }

  void post(M message) {
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> post(message));
      return;
    }
    queue.add(message);
    if (busy) {
      return;
    }
    busy = true;
    try {
      for (M next = queue.poll(); next != null; next = queue.poll()) {
        receiver.accept(next);
      }
    } finally {
      busy = false;
    }
  }
}
