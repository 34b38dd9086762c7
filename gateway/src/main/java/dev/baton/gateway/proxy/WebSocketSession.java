package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * A WebSocket handshake relayed to the chosen instance, and the session that follows it.
 * <p>vertx-http-proxy forwards the handshake; this is its interceptor. After a {@code 101} the relay is ours:
 * the library's copies bytes without back-pressure, so a fast instance and a slow client would pile the
 * difference up in the gateway's memory. Here each direction is a {@code pipeTo}, which pauses the reading side
 * while the writing side's queue is full, and the end of either side closes the other.
 * <p>The session counts as a request in flight on its instance from the handshake until it ends. So a drain
 * waits for open sessions (or reports them at its timeout), and power-of-two-choices sees them. Metrics count
 * the handshake once: its status and its latency, not the session's length.
 * Lives on the event loop of the client connection.
 */
final class WebSocketSession implements ProxyInterceptor {

  private final Relay relay;
  private final HttpServerRequest req;
  private final VersionRoute version;
  private final Upstream upstream;
  private final long start;
  private boolean answered;
  private boolean upgraded;
  private boolean ended;

  WebSocketSession(Relay relay, HttpServerRequest req, VersionRoute version, Upstream upstream, long start) {
    this.relay = relay;
    this.req = req;
    this.version = version;
    this.upstream = upstream;
    this.start = start;
  }

  void begin() {
    upstream.acquire();
    HttpServerResponse resp = req.response();
    // A refused handshake, or the gateway's own 502, ends as a plain response; a 101 is handled in upgrade().
    resp.endHandler(v -> {
      if (!upgraded) {
        end(resp.getStatusCode());
      }
    });
    resp.closeHandler(v -> end(499));
    HttpProxy.reverseProxy(relay.client()).origin(upstream.address()).addInterceptor(this, true).handle(req);
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
    relay.forwarded(context.request().headers(), req);
    return context.sendRequest().onFailure(e -> upstream.connectFailed(System.nanoTime()));
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext context) {
    ProxyResponse r = context.response();
    if (r.proxiedResponse() == null) {
      // The library made this response up after sendRequest failed (connect refused, reset): answer in the
      // gateway's JSON shape instead of its empty 502. The library paused the request; the next one on this
      // connection must be read.
      req.resume();
      GatewayErrors.send(req, 502, "upstream_unavailable", "The instance of " + version.app() + " "
          + version.version() + " could not take the WebSocket handshake; try again shortly.");
      return Future.succeededFuture();
    }
    int status = r.getStatusCode();
    answered(status);
    upstream.connectSucceeded();
    if (status != 101) {
      return context.sendResponse();
    }
    upgrade(r);
    return Future.succeededFuture();
  }

  private void upgrade(ProxyResponse r) {
    upgraded = true;
    HttpClientResponse fromInstance = r.proxiedResponse();
    HttpServerResponse toClient = req.response();
    toClient.setStatusCode(101);
    toClient.headers().addAll(r.headers());
    if (relay.versionHeader()) {
      toClient.headers().set(Relay.X_BATON_VERSION, version.version());
    }
    req.toNetSocket().onComplete(ar -> {
      NetSocket instance = fromInstance.netSocket();
      if (ar.failed()) {
        instance.close();
        end(499);
        return;
      }
      NetSocket client = ar.result();
      client.closeHandler(v -> {
        instance.close();
        end(101);
      });
      instance.closeHandler(v -> {
        client.close();
        end(101);
      });
      client.pipeTo(instance);
      instance.pipeTo(client);
    });
  }

  private void answered(int status) {
    if (!answered) {
      answered = true;
      upstream.observer().completed(status, System.nanoTime() - start);
    }
  }

  /** Ends the session once: the instance has one request fewer in flight; an unanswered handshake is counted. */
  private void end(int status) {
    if (ended) {
      return;
    }
    ended = true;
    upstream.release();
    answered(status);
  }
}
