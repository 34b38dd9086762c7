package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;

/**
 * The blocking query on {@code /v1/health/state/any} that tells the watcher which services changed
 * ({@link HealthState}). Plain HTTP, with {@link KvReader}'s request: vertx-consul-client's {@code Check} carries
 * no {@code ModifyIndex}. Sends the ACL token and speaks HTTPS as {@link ConsulAccess} says. Every check of the
 * cluster, not only baton's: a {@code filter} leaves the index as it is, so a change to a check filtered out (a
 * gateway's own registration) would move the index with no check to account for it and make the watcher read every
 * service. The answer holds some MB with tens of thousands of instances, so it is parsed on a worker thread, not on
 * the event loop.
 */
final class HealthStateReader {

  private final Vertx vertx;
  private final HttpClient http;
  private final ConsulAccess consul;
  private final String waitParam;
  private final long idleTimeoutMs;

  /** {@code http} must have been made from {@code consul}'s {@link ConsulAccess#httpClientOptions()}. */
  HealthStateReader(Vertx vertx, HttpClient http, ConsulAccess consul, long waitSeconds) {
    this.vertx = vertx;
    this.http = http;
    this.consul = consul;
    this.waitParam = waitSeconds + "s";
    this.idleTimeoutMs = (waitSeconds + 15) * 1000;
  }

  Future<BlockingQueryLoop.Result<HealthState>> read(long index) {
    String uri = "/v1/health/state/any?index=" + index + "&wait=" + waitParam;
    return http.request(KvReader.blockingGet(consul, uri, idleTimeoutMs))
        .compose(req -> req.send().compose(resp -> resp.body().compose(body -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture(new IllegalStateException("GET " + uri + " answered " + resp.statusCode()
                + ": " + body));
          }
          long consulIndex = KvReader.parseIndex(resp.getHeader("X-Consul-Index"));
          return vertx.executeBlocking(() -> new BlockingQueryLoop.Result<>(
              HealthState.parse(new JsonArray(body), consulIndex), consulIndex), false);
        })))
        .recover(e -> Future.failedFuture(consul.explain(e)));
  }
}
