package dev.baton.registry.hooks;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.Notify;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every release event this registry publishes ({@code release.*} on {@code baton.events}, its own source) to the
 * app's {@code notify} receivers (docs/registry-api.md, "Notifications"), signed with each receiver's secret. Never in
 * a release's way: events are queued per receiver and sent one at a time, in order; a failed send (no answer, or not
 * 2xx) is tried again after 1 s, 3 s, 9 s, 27 s ({@link RetrySchedule}) while later events wait behind it, and dropped
 * after the fifth attempt, logged, counted and published as {@code notify.failed}. A queue keeps at most
 * {@value #QUEUE_LIMIT} events (the oldest waiting are dropped, counted). Queues live in memory: a registry that stops
 * loses what it had not sent yet.
 */
public final class Notifier {

  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  static final int QUEUE_LIMIT = 1000;
  private static final long SEND_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Function<String, Future<List<Notify>>> receiversOf;
  private final WebhookClient client;
  private final String source;
  private final Map<String, Future<?>> perApp = new HashMap<>();
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final IntToLongFunction retryDelayMs;
  private MessageConsumer<Object> consumer;

  /** {@code receiversOf} gives an app's receivers (its spec's {@code notify}), with their secrets. */
  public Notifier(Vertx vertx, Function<String, Future<List<Notify>>> receiversOf, WebhookClient client, String source) {
    this(vertx, receiversOf, client, source, RetrySchedule::notifyDelayMs);
  }

  /** As above, waiting {@code retryDelayMs(attempt)} after a failed attempt (-1: drop it). */
  Notifier(Vertx vertx, Function<String, Future<List<Notify>>> receiversOf, WebhookClient client, String source,
           IntToLongFunction retryDelayMs) {
    this.vertx = vertx;
    this.receiversOf = receiversOf;
    this.client = client;
    this.source = source;
    this.retryDelayMs = retryDelayMs;
  }

  /** Starts listening to the events this process publishes; call on the context that owns this notifier. */
  public Future<Void> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.EVENTS, m -> {
      if (m.body() instanceof JsonObject json) {
        accept(BatonEvent.fromJson(json));
      }
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Events delivered (2xx) and dropped after their last attempt, since start. */
  public long delivered() {
    return delivered.get();
  }

  public long failed() {
    return failed.get();
  }

  void accept(BatonEvent event) {
    if (event.kind() == null || !event.kind().startsWith("release.") || !source.equals(event.source())
        || event.app() == null) {
      return;
    }
    // One app's events are looked up in order, so they reach each queue in the order they were published.
    Future<?> previous = perApp.getOrDefault(event.app(), Future.succeededFuture());
    Future<Void> next = previous.transform(ar -> receiversOf.apply(event.app())
        .map(receivers -> {
          receivers.forEach(r -> enqueue(event, r));
          return (Void) null;
        }).recover(e -> {
          LOG.warn("cannot read the notification receivers of {}: {}", event.app(), e.toString());
          return Future.succeededFuture();
        }));
    perApp.put(event.app(), next);
    next.onComplete(ar -> perApp.remove(event.app(), next));
  }

  private void enqueue(BatonEvent event, Notify receiver) {
    String key = event.app() + " " + receiver.url();
    Queue q = queues.computeIfAbsent(key, k -> new Queue());
    q.receiver = receiver;
    byte[] body = body(event, receiver.format()).getBytes(StandardCharsets.UTF_8);
    q.waiting.add(new Delivery(event, body, UUID.randomUUID().toString()));
    while (q.waiting.size() > QUEUE_LIMIT) {
      Delivery dropped = q.waiting.pollFirst();
      failed.incrementAndGet();
      LOG.warn("notification queue of {} for {} is full: dropped {}", hostOf(receiver.url()), event.app(),
          dropped.event.kind());
    }
    if (!q.busy) {
      send(q);
    }
  }

  private void send(Queue q) {
    Delivery d = q.waiting.peekFirst();
    if (d == null) {
      q.busy = false;
      return;
    }
    q.busy = true;
    Notify r = q.receiver;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Baton-Event", d.event.kind());
    headers.put("X-Baton-Delivery", d.id);
    if (r.secret() != null) {
      headers.put(Signature.HEADER, Signature.of(d.body, r.secret()));
    }
    d.attempts++;
    client.post(r.url(), d.body, headers, SEND_TIMEOUT_MS).onComplete(ar -> {
      WebhookClient.Reply reply = ar.result();
      if (reply != null && reply.ok()) {
        delivered.incrementAndGet();
        q.waiting.remove(d);
        send(q);
        return;
      }
      String why = reply == null ? String.valueOf(ar.cause()) : reply.describe();
      long delay = retryDelayMs.applyAsLong(d.attempts);
      if (delay < 0) {
        long n = failed.incrementAndGet();
        q.waiting.remove(d);
        LOG.warn("notification {} of {} to {} dropped after {} attempts: {}", d.event.kind(), d.event.app(),
            hostOf(r.url()), d.attempts, why);
        vertx.eventBus().publish(Addresses.EVENTS, new BatonEvent(Instant.now().toString(), "notify.failed", source,
            d.event.app(), d.event.subject(), "notification " + d.event.kind() + " to " + hostOf(r.url())
            + " dropped after " + d.attempts + " attempts: " + why, new JsonObject().put("receiver", hostOf(r.url()))
            .put("event", d.event.kind()).put("attempts", d.attempts).put("failedSinceStart", n)).toJson());
        send(q);
      } else {
        LOG.info("notification {} of {} to {}: attempt {} failed ({}); again in {} ms", d.event.kind(), d.event.app(),
            hostOf(r.url()), d.attempts, why, delay);
        vertx.setTimer(delay, t -> send(q));
      }
    });
  }

  /** The body for a receiver: the event's JSON, or a Slack incoming-webhook message. */
  static String body(BatonEvent e, Notify.Format format) {
    if (format == Notify.Format.SLACK) {
      return new JsonObject().put("text", "baton: *" + e.app() + "* " + e.kind().replace("release.", "release ")
          + " (" + e.subject() + "): " + e.message()).encode();
    }
    return e.toJson().encode();
  }

  /** Scheme, host and port only: a Slack webhook's path is its secret, so logs and events never show it. */
  static String hostOf(String url) {
    return Notify.origin(url);
  }

  private static final class Queue {
    final Deque<Delivery> waiting = new ArrayDeque<>();
    Notify receiver;
    boolean busy;
  }

  private static final class Delivery {
    final BatonEvent event;
    final byte[] body;
    final String id;
    int attempts;

    Delivery(BatonEvent event, byte[] body, String id) {
      this.event = event;
      this.body = body;
      this.id = id;
    }
  }
}
