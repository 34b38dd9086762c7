package dev.baton.sample;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sample app's HTTP server.
 *
 * <ul>
 *   <li>{@code GET /} → {@code {"app", "version", "instance", "host"}}</li>
 *   <li>{@code GET /health} → 200 {@code {"status": "UP", "version"}}, or 503 DOWN when unhealthy</li>
 *   <li>{@code GET /slow?ms=N} → answers after N ms (at most {@value #MAX_SLOW_MS}) on a timer</li>
 *   <li>{@code POST /orders} with {@code Idempotency-Key} → 201 {@code {"key", "version", "count"}}</li>
 *   <li>{@code GET /orders} → {@code {"keys": {"<key>": count}}}</li>
 *   <li>{@code GET /config} → {@code {"version", "env": {"SAMPLE_…": value}}}: the {@code SAMPLE_*} variables the
 *       instance was started with (only those: a demo of config that travels with a release)</li>
 * </ul>
 *
 * <p>Every response carries {@code X-App-Version}; every error is
 * {@code {"error": "<code>", "message": "<sentence>"}}.
 *
 * <p>Drain: {@link #stop()} uses {@link HttpServer#shutdown(long, TimeUnit)}, which first closes the
 * listening socket (new connections are refused), then lets each HTTP/1.x connection finish its
 * current response before closing it, and force-closes whatever is left after the grace period.
 * Responses sent while draining say {@code Connection: close} so clients do not reuse the socket.
 */
public final class SampleAppVerticle extends VerticleBase {

  /** Longest wait {@code /slow} honours; larger values are capped to it. */
  static final long MAX_SLOW_MS = 120_000L;

  private static final Set<String> FAULTY_PATHS = Set.of("/", "/slow", "/orders");
  private static final String VERSION_HEADER = "X-App-Version";
  private static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private static final int MAX_KEY_LENGTH = 200;

  private final SampleAppConfig config;
  private final String version;
  private final String host;
  // Fields below are only touched on this verticle's event loop, so they need no locking.
  private final Map<String, Integer> orders = new LinkedHashMap<>();
  private boolean draining;
  private HttpServer server;
  private String instance;

  /**
   * Creates the verticle.
   *
   * @param config  settings read from the environment
   * @param version the version baked into the artifact
   * @param host    this machine's host name, reported by {@code GET /}
   */
  public SampleAppVerticle(SampleAppConfig config, String version, String host) {
    this.config = config;
    this.version = version;
    this.host = host;
  }

  @Override
  public Future<?> start() {
    Future<Void> startDelay = config.startDelayMs() > 0
        ? vertx.timer(config.startDelayMs())
        : Future.succeededFuture();
    return startDelay
        .compose(v -> vertx.createHttpServer()
            .requestHandler(this::handle)
            .listen(config.port(), config.bind()))
        .onSuccess(listening -> {
          server = listening;
          instance = config.instanceId().orElse(host + ":" + listening.actualPort());
          System.out.printf("sample-app %s listening on %s:%d%n",
              version, config.bind(), listening.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    draining = true;
    if (server == null) {
      return Future.succeededFuture();
    }
    System.out.printf("sample-app %s draining (grace %d ms)%n", version, config.shutdownGraceMs());
    return server.shutdown(config.shutdownGraceMs(), TimeUnit.MILLISECONDS);
  }

  private void handle(HttpServerRequest req) {
    if ("/health".equals(req.path())) {
      health(req);
      return;
    }
    // Reading the body first keeps its bytes from being dropped while the latency timer runs.
    req.body()
        .compose(body -> delay(config.latencyMs()))
        .onSuccess(v -> dispatch(req))
        .onFailure(err -> error(req, 500, "internal_error", "Request failed: " + err.getMessage()));
  }

  private void dispatch(HttpServerRequest req) {
    String path = req.path();
    HttpMethod method = req.method();
    if (FAULTY_PATHS.contains(path) && ThreadLocalRandom.current().nextDouble() < config.failRate()) {
      error(req, 500, "injected_failure",
          "FAIL_RATE=" + config.failRate() + " injected this failure; unset FAIL_RATE to stop it.");
    } else if ("/".equals(path) && method == HttpMethod.GET) {
      root(req);
    } else if ("/slow".equals(path) && method == HttpMethod.GET) {
      slow(req);
    } else if ("/config".equals(path) && method == HttpMethod.GET) {
      send(req, 200, new JsonObject().put("version", version)
          .put("env", new JsonObject(new LinkedHashMap<String, Object>(config.shown()))));
    } else if ("/orders".equals(path) && method == HttpMethod.GET) {
      listOrders(req);
    } else if ("/orders".equals(path) && method == HttpMethod.POST) {
      recordOrder(req);
    } else if (FAULTY_PATHS.contains(path)) {
      error(req, 405, "method_not_allowed", method + " is not supported on " + path + ".");
    } else {
      error(req, 404, "not_found",
          "No route for " + path + "; try /, /health, /slow?ms=N, /orders or /config.");
    }
  }

  private void root(HttpServerRequest req) {
    send(req, 200, new JsonObject()
        .put("app", config.appName())
        .put("version", version)
        .put("instance", instance)
        .put("host", host));
  }

  private void health(HttpServerRequest req) {
    boolean up = !config.unhealthy();
    send(req, up ? 200 : 503, new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("version", version));
  }

  private void slow(HttpServerRequest req) {
    long ms;
    try {
      ms = parseSlowMillis(req.getParam("ms"));
    } catch (IllegalArgumentException e) {
      error(req, 400, "bad_request", e.getMessage());
      return;
    }
    // Tests wait for this line to know the request is in flight before they stop the app.
    System.out.printf("sample-app %s slow request started (%d ms)%n", version, ms);
    delay(ms).onSuccess(v -> send(req, 200, new JsonObject()
        .put("version", version)
        .put("instance", instance)
        .put("ms", ms)));
  }

  private void recordOrder(HttpServerRequest req) {
    String key = req.getHeader(IDEMPOTENCY_HEADER);
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      error(req, 400, "missing_idempotency_key", "POST /orders needs an " + IDEMPOTENCY_HEADER
          + " header of 1 to " + MAX_KEY_LENGTH + " characters.");
      return;
    }
    int count = orders.merge(key, 1, Integer::sum);
    send(req, 201, new JsonObject()
        .put("key", key)
        .put("version", version)
        .put("count", count));
  }

  private void listOrders(HttpServerRequest req) {
    send(req, 200, new JsonObject().put("keys", new JsonObject(new LinkedHashMap<>(orders))));
  }

  /**
   * Parses the {@code ms} query parameter of {@code /slow}.
   *
   * @param raw the parameter value, possibly null
   * @return the wait in milliseconds, capped at {@link #MAX_SLOW_MS}
   * @throws IllegalArgumentException when missing, not a whole number, or negative
   */
  static long parseSlowMillis(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("/slow needs a query parameter ms, e.g. /slow?ms=500.");
    }
    long ms;
    try {
      ms = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ms must be a whole number of milliseconds, got '" + raw + "'.");
    }
    if (ms < 0) {
      throw new IllegalArgumentException("ms must not be negative, got " + ms + ".");
    }
    return Math.min(ms, MAX_SLOW_MS);
  }

  private Future<Void> delay(long ms) {
    return ms > 0 ? vertx.timer(ms) : Future.succeededFuture();
  }

  private void error(HttpServerRequest req, int status, String code, String message) {
    send(req, status, new JsonObject().put("error", code).put("message", message));
  }

  private void send(HttpServerRequest req, int status, JsonObject body) {
    HttpServerResponse response = req.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(VERSION_HEADER, version);
    // Connection is a hop-by-hop header that HTTP/2 forbids; there GOAWAY does the same job.
    if (draining && req.version() != HttpVersion.HTTP_2) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response.end(body.encode());
  }
}
