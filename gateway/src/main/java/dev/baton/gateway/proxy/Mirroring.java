package dev.baton.gateway.proxy;

import dev.baton.common.model.Mirror;
import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.InstancePicker;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Shadow traffic (the {@code mirror} of a route policy): {@code percent}% of the requests an app serves
 * are also sent to an instance of the mirror version; its responses are read and discarded, and nothing
 * about them reaches the client or the app's metrics. A request without a body is mirrored as it arrives; one
 * with a body once the body is complete, from the copy {@link RequestBody} keeps of bodies up to
 * {@link RequestBody#REPLAY_LIMIT} bytes (a larger body is not mirrored: it is never held whole). Never to the
 * version that serves the request itself. A mirrored request counts as in flight on its instance, so a drain
 * waits for it. It carries {@code X-Baton-Mirror: 1} so the app can tell shadow traffic from real traffic
 * (e.g. to skip side effects: a mirrored POST reaches the mirror version too).
 */
final class Mirroring {

  static final CharSequence X_BATON_MIRROR = HttpHeaders.createOptimized("X-Baton-Mirror");

  private Mirroring() {
  }

  /** The instance of the mirror version this request is also sent to, or null (no mirror, or not drawn). */
  static Upstream pick(AppRoute app, VersionRoute served) {
    RoutePolicy policy = app.policy();
    Mirror mirror = policy == null ? null : policy.mirror();
    if (mirror == null || mirror.version().equals(served.version())) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextInt(10_000) >= Math.round(mirror.percent() * 100)) {
      return null;
    }
    VersionRoute target = app.version(mirror.version());
    return target == null ? null : InstancePicker.pick(target, null, System.nanoTime(), random);
  }

  /**
   * Sends the copy: the headers the serving instance gets (hop-by-hop fields removed, {@code X-Forwarded-*} as
   * for a relayed request) and {@code body}, or none when null.
   */
  static void send(Relay relay, HttpServerRequest req, String uri, Upstream u, Buffer body) {
    u.acquire();
    RequestOptions options = relay.options(u, req.method(), uri).setIdleTimeout(relay.upstreamTimeoutMs());
    relay.client().request(options).compose(r -> {
      relay.upstreamHeaders(r.headers(), req);
      r.headers().remove(HttpHeaders.CONTENT_LENGTH).set(X_BATON_MIRROR, "1");
      return body == null ? r.send() : r.send(body);
    }).compose(HttpClientResponse::end).onComplete(ar -> u.release());
  }
}
