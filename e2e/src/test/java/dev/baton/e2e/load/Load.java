package dev.baton.e2e.load;

import dev.baton.e2e.load.Sample.Kind;
import dev.baton.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous traffic through the gateway on 127.0.0.1 (or a fleet's front), recording every request as a {@link Sample}:
 * GETs on kept-alive connections, GETs on a fresh connection each, POSTs to {@code /orders} with a unique
 * {@code Idempotency-Key} (a failed POST is sent again with the same key, as a client of an idempotent API
 * does), GETs of sticky users, and slow requests ({@code /slow?ms=N}) kept in flight at all times so
 * that every route switch and every drain has some to wait for.
 *
 * <p>Bounded: it stops itself after {@code maxDuration} or {@code maxRequests}, and never has more than
 * {@value #MAX_IN_FLIGHT} requests in flight (beyond that a tick is skipped and counted).
 */
public final class Load implements AutoCloseable {

  /** Rates per stream, in requests per second, and the slow requests' shape. */
  public record Profile(int getPerSecond, int freshPerSecond, int postPerSecond, int stickyPerSecond,
                        int slowInFlight, int slowMs, int users) {

    /** About 250 req/s: the default for every scenario. */
    public static Profile standard() {
      return new Profile(140, 30, 40, 40, 6, 1500, 100);
    }

    public int perSecond() {
      return getPerSecond + freshPerSecond + postPerSecond + stickyPerSecond + slowInFlight * 1000 / Math.max(1, slowMs);
    }
  }

  private static final int MAX_IN_FLIGHT = 600;
  private static final int POST_ATTEMPTS = 3;
  private static final int MAX_REQUESTS = 400_000;
  private static final long TIMEOUT_MS = 20_000;
  /** Fresh connections open at once at most: a bound on the generator, far above what the gateway ever holds. */
  private static final int FRESH_CONNECTIONS = 256;
  private static final String APP_VERSION = "X-App-Version";

  private final Vertx vertx;
  private final String host;
  private final String virtualHost;
  private final int port;
  private final String tag;
  private final Profile profile;
  private final HttpClientAgent keepAlive;
  private final HttpClientAgent fresh;
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final List<Long> timers = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong keys = new AtomicLong();
  private final AtomicLong userTurn = new AtomicLong();
  private final long startedNanos = System.nanoTime();
  private volatile long stoppedNanos;

  private Load(Vertx vertx, String host, String virtualHost, int port, String tag, Profile profile) {
    this.vertx = vertx;
    this.host = host;
    this.virtualHost = virtualHost;
    this.port = port;
    this.tag = tag;
    this.profile = profile;
    this.keepAlive = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(48));
    // Fresh connections stand for many independent clients, each opening its own: none of them queues behind the
    // others. With 16 slots, a few seconds of high latency on a loaded 2-core machine (p99 near 4 s while a new
    // instance's JVM starts) left requests waiting for a slot of this very pool past the 5 s connect timeout, and
    // the generator's own queue counted as failed requests that never reached the gateway.
    this.fresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(FRESH_CONNECTIONS));
  }

  /**
   * Starts traffic to the gateway on {@code 127.0.0.1:port}. {@code tag} prefixes every idempotency key,
   * so each scenario's POSTs can be told apart in the instances' records.
   */
  public static Load start(Vertx vertx, int port, String tag, Profile profile, Duration maxDuration) {
    return start(vertx, "127.0.0.1", null, port, tag, profile, maxDuration);
  }

  /**
   * Starts traffic to {@code host:port} (a fleet's front), with {@code Host: virtualHost} on every request when
   * it is not null (an app routed by host name).
   */
  public static Load start(Vertx vertx, String host, String virtualHost, int port, String tag, Profile profile,
                           Duration maxDuration) {
    Load load = new Load(vertx, host, virtualHost, port, tag, profile);
    load.every(profile.getPerSecond(), () -> load.get(Kind.GET, load.keepAlive, null));
    load.every(profile.freshPerSecond(), () -> load.get(Kind.FRESH, load.fresh, null));
    load.every(profile.postPerSecond(), () -> load.post(tag + "-" + load.keys.incrementAndGet(), 0));
    load.every(profile.stickyPerSecond(), () -> load.get(Kind.STICKY, load.keepAlive,
        String.format("user-%03d", load.userTurn.getAndIncrement() % profile.users())));
    for (int i = 0; i < profile.slowInFlight(); i++) {
      vertx.setTimer(1 + (long) i * profile.slowMs() / profile.slowInFlight(), id -> load.slowChain());
    }
    load.timers.add(vertx.setTimer(maxDuration.toMillis(), id -> load.halt()));
    return load;
  }

  /** Ticks spread over 10 ms periods: {@code perSecond} requests a second on average. */
  private void every(int perSecond, Runnable fire) {
    if (perSecond <= 0) {
      return;
    }
    AtomicLong due = new AtomicLong();
    long periodMs = 10;
    timers.add(vertx.setPeriodic(periodMs, id -> {
      long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
      long target = elapsedMs * perSecond / 1000;
      while (due.get() < target && running.get()) {
        due.incrementAndGet();
        fire.run();
      }
    }));
  }

  private boolean admit() {
    if (!running.get() || sent.get() >= MAX_REQUESTS) {
      return false;
    }
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      skipped.incrementAndGet();
      return false;
    }
    sent.incrementAndGet();
    inFlight.incrementAndGet();
    return true;
  }

  private void get(Kind kind, HttpClientAgent client, String user) {
    if (!admit()) {
      return;
    }
    RequestOptions options = options(HttpMethod.GET, "/");
    if (user != null) {
      options.putHeader("X-User-Id", user);
    }
    send(kind, client, options, null, null, user, false);
  }

  /**
   * Sends a POST; a failed attempt is sent again with the same key after a short back-off (50 ms, then
   * 200 ms), at most {@value #POST_ATTEMPTS} attempts, as a client of an idempotent API does.
   */
  private void post(String key, int attempt) {
    if (attempt == 0 ? !admit() : !readmit()) {
      return;
    }
    RequestOptions options = options(HttpMethod.POST, "/orders").putHeader("Idempotency-Key", key)
        .putHeader("Content-Type", "application/json");
    send(Kind.POST, keepAlive, options, Buffer.buffer("{\"item\":\"baton\"}"), key, null, attempt > 0)
        .onSuccess(s -> {
          if (s.failed() && attempt + 1 < POST_ATTEMPTS && running.get()) {
            vertx.setTimer(50L << (2 * attempt), id -> post(key, attempt + 1));
          }
        });
  }

  /** Admission of a re-sent POST: counted, never skipped while running. */
  private boolean readmit() {
    if (!running.get()) {
      return false;
    }
    sent.incrementAndGet();
    inFlight.incrementAndGet();
    return true;
  }

  private void slowChain() {
    if (!admit()) {
      if (running.get()) {
        vertx.setTimer(50, id -> slowChain());
      }
      return;
    }
    send(Kind.SLOW, keepAlive, options(HttpMethod.GET, "/slow?ms=" + profile.slowMs()), null, null, null, false)
        .onComplete(ar -> slowChain());
  }

  private RequestOptions options(HttpMethod method, String uri) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
        .setConnectTimeout(5_000).setIdleTimeout(TIMEOUT_MS);
    return virtualHost == null ? options : options.putHeader("Host", virtualHost);
  }

  private Future<Sample> send(Kind kind, HttpClientAgent client, RequestOptions options, Buffer body, String key,
                              String user, boolean retry) {
    long t0 = System.nanoTime();
    Future<HttpClientRequest> request;
    try {
      request = client.request(options);
    } catch (IllegalStateException closed) { // the client closed under us: the scenario is being torn down
      request = Future.failedFuture(closed);
    }
    // The body is asked for inside send()'s own callback: chained one level up, a response that ends before the
    // outer callback runs loses its end event and the future never completes (Vert.x's HttpClient documents the
    // nested form as the race-free one).
    return request
        .compose(req -> (body == null ? req.send() : req.send(body)).compose(resp -> resp.body().map(b -> {
          String version = resp.getHeader(APP_VERSION);
          String error = resp.statusCode() >= 400 ? errorCode(b) : null;
          return new Sample(kind, t0, System.nanoTime(), resp.statusCode(), version, key, user, error, retry);
        })))
        .recover(err -> Future.succeededFuture(new Sample(kind, t0, System.nanoTime(), 0, null, key, user,
            String.valueOf(err), retry)))
        .onSuccess(s -> {
          samples.add(s);
          inFlight.decrementAndGet();
        });
  }

  private static String errorCode(Buffer body) {
    try {
      return new JsonObject(body).getString("error", "?");
    } catch (RuntimeException e) {
      return "non-json " + body.length() + " bytes";
    }
  }

  private void halt() {
    if (running.compareAndSet(true, false)) {
      stoppedNanos = System.nanoTime();
      timers.forEach(vertx::cancelTimer);
    }
  }

  /** Stops sending and waits until every request in flight has its answer (or its timeout). */
  public Load stop() {
    halt();
    Poll.until(Duration.ofMillis(TIMEOUT_MS + 5_000), () -> inFlight.get() == 0,
        "the load's " + inFlight.get() + " requests in flight to finish");
    return this;
  }

  /** Every sample so far (a snapshot). */
  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Ticks dropped because {@value #MAX_IN_FLIGHT} requests were already in flight. */
  /** The rates and shape this load runs with. */
  public Profile profile() {
    return profile;
  }

  public long skipped() {
    return skipped.get();
  }

  public long startedNanos() {
    return startedNanos;
  }

  /** When sending stopped, or now while it runs. */
  public long stoppedNanos() {
    return running.get() ? System.nanoTime() : stoppedNanos;
  }

  public String tag() {
    return tag;
  }

  @Override
  public void close() {
    halt();
    keepAlive.close();
    fresh.close();
  }
}
