package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.GatewaySettings;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.InstancePicker;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionPicker;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The traffic port's request handler: refuse what must not pass (CONNECT, foreign absolute-form,
 * bad framing, oversized bodies), then app → version → instance from the route table in force, then an
 * {@link Exchange} relays it. WebSocket handshakes go through vertx-http-proxy's reverse proxy to the
 * chosen instance ({@link WebSocketSession}). Every refusal is JSON (see {@link GatewayErrors}).
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private final GatewaySettings settings;
  private final Relay relay;
  private final RouteSource routes;

  ProxyHandler(GatewaySettings settings, HttpClientAgent client, UpstreamConnections connections, RouteSource routes,
               BodyDeadlines bodyDeadlines, AwaitingHeads awaiting) {
    this.settings = settings;
    this.relay = Relay.of(settings, client, connections, bodyDeadlines, awaiting);
    this.routes = routes;
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    HttpMethod method = req.method();
    if (method == HttpMethod.CONNECT) {
      GatewayErrors.sendAndClose(req, 405, "method_not_allowed",
          "CONNECT is not supported: this is a reverse proxy, not a forward proxy.");
      return;
    }
    RequestFraming.Refusal badHost = RequestHead.host(req.version(), req.headers().getAll(HttpHeaders.HOST));
    if (badHost != null) {
      GatewayErrors.send(req, badHost, true);
      return;
    }
    RequestFraming.Refusal framing = RequestFraming.check(req.headers(), settings.maxBodyBytes());
    if (framing != null) {
      GatewayErrors.send(req, framing, true);
      return;
    }
    String uri = req.uri();
    String host = req.getHeader(HttpHeaders.HOST);
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      AbsoluteForm.Target target = AbsoluteForm.parse(uri);
      if (target == null || !RequestHead.validAuthority(target.authority())) {
        GatewayErrors.sendAndClose(req, 400, "bad_request_target",
            "The request target must be a path such as /orders (origin-form).");
        return;
      }
      if (!ownHost(target.host())) {
        GatewayErrors.sendAndClose(req, 421, "misdirected_request", "This gateway does not serve host '"
            + target.host() + "'; it is a reverse proxy, not a forward proxy.");
        return;
      }
      uri = target.originForm();
      host = target.authority();
      // RFC 9112 §3.2.2: the Host sent on (and X-Forwarded-Host) is the authority routed on, not the client's.
      req.headers().set(HttpHeaders.HOST, host);
    }
    GatewaySettings.Tls tls = settings.tls();
    if (tls != null && tls.redirect() && HttpsRedirect.applies(req, uri)) {
      // Only names the gateway serves: a Location built from any Host value would be an open redirect.
      String name = HttpsRedirect.hostName(host);
      name = name == null ? settings.config().advertiseHost() : name;
      if (ownHost(name)) {
        HttpsRedirect.send(req, HttpsRedirect.location(name, tls.port(), uri), RequestFraming.hasBody(req.headers()));
        return;
      }
    }
    if (!routes.ready()) {
      GatewayErrors.send(req, 503, "not_ready", "The gateway has not read its routes from Consul yet; retry shortly.");
      return;
    }
    AppRoute app = routes.table().select(host, req.path());
    if (app == null) {
      GatewayErrors.send(req, 404, "no_route", "No app is routed for host '" + host + "' and path '" + req.path()
          + "'; check the app's routing (hosts, pathPrefix) or set BATON_DEFAULT_APP.");
      return;
    }
    boolean hasBody = RequestFraming.hasBody(req.headers());
    if (hasBody && !req.canUpgradeToWebSocket() && BodyBuffer.applies(req, settings.bodies().bufferBytes())) {
      String target = uri;
      BodyBuffer.read(req, relay.bodyDeadlines()).onSuccess(body -> route(req, start, app, target, true, body));
      return;
    }
    if (hasBody) {
      req.pause();
    }
    route(req, start, app, uri, hasBody, null);
  }

  /** Version, instance, then the exchange; {@code buffered} is the body when it was read whole first, else null. */
  private void route(HttpServerRequest req, long start, AppRoute app, String uri, boolean hasBody, Buffer buffered) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    VersionRoute version = VersionPicker.pick(app, ServerRequestView.of(app, req), random);
    Upstream upstream = version == null ? null : InstancePicker.pick(version, null, System.nanoTime(), random);
    if (upstream == null) {
      if (hasBody && buffered == null) {
        req.resume();
      }
      GatewayErrors.send(req, 503, "no_instance", "No passing instance of app " + app.name()
          + (version == null ? "" : " version " + version.version()) + " can take this request; retry shortly.");
      return;
    }
    if (req.canUpgradeToWebSocket()) {
      new WebSocketSession(relay, req, version, upstream, start).begin();
      return;
    }
    Upstream mirror = Mirroring.pick(app, version);
    if (mirror != null && !hasBody) {
      Mirroring.send(relay, req, uri, mirror, null);
    }
    new Exchange(relay, req, start, uri, version, hasBody, mirror, buffered).begin(upstream);
  }

  boolean ownHost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return settings.ownHosts().contains(h) || routes.table().servesHost(h);
  }
}
