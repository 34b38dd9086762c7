package dev.baton.agent.health;

import dev.baton.common.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.function.BooleanSupplier;

/**
 * Polls an instance's health path until it answers 200 with the expected version, before anything routes to
 * it. Fails fast when the process exits, when the version is wrong, or when the deadline passes; the failure
 * message is the reason shown to the operator. {@link #check} is the same probe made once, for an instance
 * that was healthy before (docs/ARCHITECTURE.md, Agent: lost registrations are restored only after it).
 */
public final class HealthGate {

  private static final long REQUEST_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final WebClient client;
  private final long timeoutMs;
  private final long intervalMs;
  private final boolean requireVersion;

  public HealthGate(Vertx vertx, WebClient client, long timeoutMs, long intervalMs, boolean requireVersion) {
    this.vertx = vertx;
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.intervalMs = intervalMs;
    this.requireVersion = requireVersion;
  }

  /**
   * Completes when {@code host:port path} is up with {@code version}; fails with a 502 {@code instance_failed}
   * naming the reason. {@code exited} completing, or {@code cancelled} turning true, ends the wait early.
   */
  public Future<Void> await(String host, int port, String path, String version, Future<Void> exited,
                            BooleanSupplier cancelled) {
    Promise<Void> result = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    exited.onComplete(v -> result.tryFail(failure("exited before becoming healthy")));
    Target target = new Target(host, port, path, version, deadline,
        () -> cancelled.getAsBoolean() || result.future().isComplete());
    probe(target, "no answer yet").onComplete(result);
    return result.future();
  }

  private record Target(String host, int port, String path, String version, long deadline, BooleanSupplier over) {
  }

  private Future<Void> probe(Target t, String last) {
    if (t.over().getAsBoolean()) {
      return Future.failedFuture(new ApiException(409, "stopped", "stopped before it became healthy"));
    }
    if (System.currentTimeMillis() > t.deadline()) {
      return Future.failedFuture(failure("did not pass " + t.path() + " within " + timeoutMs + " ms (last: " + last + ")"));
    }
    return once(t.host(), t.port(), t.path(), t.version()).compose(verdict -> switch (verdict.outcome()) {
      case UP -> Future.succeededFuture();
      case WRONG_VERSION -> Future.failedFuture(failure(verdict.detail()));
      case NOT_YET -> vertx.timer(intervalMs).compose(v -> probe(t, verdict.detail()));
    });
  }

  /**
   * One probe of {@code host:port path}, with the same request timeout as every probe of {@link #await}:
   * completes when it answers 200 with {@code version}, fails with a 502 {@code instance_failed} naming what
   * it answered instead (nothing within the timeout, for a hung process).
   */
  public Future<Void> check(String host, int port, String path, String version) {
    return once(host, port, path, version).compose(verdict -> verdict.outcome() == HealthVerdict.Outcome.UP
        ? Future.succeededFuture()
        : Future.failedFuture(failure(path + " did not pass: " + verdict.detail())));
  }

  /** One request, judged; no answer (refused, timed out) is {@code NOT_YET} with the error as its detail. */
  private Future<HealthVerdict> once(String host, int port, String path, String version) {
    return client.get(port, host, path).timeout(REQUEST_TIMEOUT_MS).send().transform(ar -> Future.succeededFuture(
        ar.succeeded()
            ? HealthVerdict.judge(ar.result().statusCode(), ar.result().bodyAsString(), version, requireVersion)
            : new HealthVerdict(HealthVerdict.Outcome.NOT_YET, ar.cause().getMessage())));
  }

  private static ApiException failure(String reason) {
    return new ApiException(502, "instance_failed", reason);
  }
}
