package dev.baton.gateway.proxy;

import dev.baton.common.model.Mirror;
import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.InstancePicker;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Shadow traffic (the {@code mirror} of a route policy): {@code percent}% of the requests an app serves
 * are also sent to an instance of the mirror version; its responses are read and discarded, and nothing
 * about them reaches the client or the app's metrics. Only requests without a body are mirrored (bodies
 * stream once and are not buffered), and never to the version that serves the request itself. A mirrored
 * request counts as in flight on its instance, so a drain waits for it. It carries {@code X-Baton-Mirror: 1}
 * so the app can tell shadow traffic from real traffic (e.g. to skip side effects).
 */
final class Mirroring {

  static final CharSequence X_BATON_MIRROR = HttpHeaders.createOptimized("X-Baton-Mirror");

  private Mirroring() {
  }

  static void maybeMirror(ProxyHandler owner, HttpServerRequest req, String uri, AppRoute app, VersionRoute served,
                          boolean hasBody) {
    RoutePolicy policy = app.policy();
    Mirror mirror = policy == null ? null : policy.mirror();
    if (mirror == null || hasBody || mirror.version().equals(served.version())) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextInt(10_000) >= Math.round(mirror.percent() * 100)) {
      return;
    }
    VersionRoute target = app.version(mirror.version());
    Upstream u = target == null ? null : InstancePicker.pick(target, null, System.nanoTime(), random);
    if (u == null) {
      return;
    }
    u.acquire();
    RequestOptions options = new RequestOptions().setServer(u.address()).setHost(u.info().host())
        .setPort(u.info().port()).setMethod(req.method()).setURI(uri)
        .setConnectTimeout(owner.settings.connectTimeoutMs()).setIdleTimeout(owner.settings.upstreamTimeoutMs());
    owner.client.request(options).compose(r -> {
      r.headers().setAll(req.headers());
      HeaderHygiene.stripHopByHop(r.headers(), false);
      r.headers().remove(HttpHeaders.EXPECT).set(X_BATON_MIRROR, "1");
      return r.send();
    }).compose(HttpClientResponse::end).onComplete(ar -> u.release());
  }
}
