package dev.baton.gateway.proxy;

import dev.baton.gateway.GatewaySettings;
import dev.baton.gateway.GatewaySettings.UpstreamQueue;
import dev.baton.gateway.routing.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * What relaying a request to an instance needs, whoever relays it ({@link Exchange}, {@link Mirroring},
 * {@link WebSocketSession}): the event loop's client pool to the instances, the settings that bound a relay, and the
 * one function that prepares the headers an instance gets. Immutable; one per traffic verticle.
 *
 * @param client            the pooled HTTP client of this event loop (mirrored requests and WebSocket handshakes)
 * @param connections       this event loop's keep-alive connections to the instances (relayed requests)
 * @param trusted           {@code BATON_TRUSTED_PROXIES}: peers whose forwarded headers are kept and extended
 * @param connectTimeoutMs  {@code BATON_CONNECT_TIMEOUT_MS}
 * @param upstreamTimeoutMs {@code BATON_UPSTREAM_TIMEOUT_MS}: no byte from the instance for this long → 504
 * @param maxBodyBytes      {@code BATON_MAX_BODY_BYTES}: a streamed body passing it is refused with 413
 * @param versionHeader     {@code BATON_VERSION_HEADER}: answers carry {@code X-Baton-Version}
 * @param queue             {@code BATON_UPSTREAM_QUEUE_SIZE}/{@code _TIMEOUT_MS}: the wait for a pooled connection
 * @param bodyDeadlines     the read deadlines of this event loop's streaming request bodies
 * @param awaiting          this event loop's requests waiting for a response head (a lost host reaches them there)
 */
record Relay(HttpClient client, UpstreamConnections connections, TrustedProxies trusted, int connectTimeoutMs,
             long upstreamTimeoutMs, long maxBodyBytes, boolean versionHeader, UpstreamQueue queue,
             BodyDeadlines bodyDeadlines, AwaitingHeads awaiting) {

  static final CharSequence X_BATON_VERSION = HttpHeaders.createOptimized("X-Baton-Version");

  static Relay of(GatewaySettings s, HttpClient client, UpstreamConnections connections, BodyDeadlines bodyDeadlines,
                  AwaitingHeads awaiting) {
    return new Relay(client, connections, s.trustedProxies(), s.connectTimeoutMs(), s.upstreamTimeoutMs(),
        s.maxBodyBytes(), s.versionHeader(), s.upstreamQueue(), bodyDeadlines, awaiting);
  }

  /** The options of a relayed request on a connection of {@link #connections}: the connection names the instance. */
  RequestOptions exchangeOptions(HttpMethod method, String uri) {
    return new RequestOptions().setMethod(method).setURI(uri);
  }

  /** The options of a request to {@code u}; the upstream timeout is the pool's idle timeout ({@link TrafficVerticle}). */
  RequestOptions options(Upstream u, HttpMethod method, String uri) {
    return new RequestOptions()
        .setServer(u.address())
        .setHost(u.info().host())
        .setPort(u.info().port())
        .setMethod(method)
        .setURI(uri)
        .setConnectTimeout(UpstreamBusy.waitMs(queue, connectTimeoutMs));
  }

  /**
   * Sets {@code X-Forwarded-For/-Proto/-Host} on {@code headers} bound for an instance, from {@code req}'s socket,
   * and drops what only a trusted proxy may say ({@link HeaderHygiene#forwarded}) and what only the gateway says
   * ({@code X-Baton-Mirror}). Relayed, mirrored and WebSocket requests all pass here.
   */
  void forwarded(MultiMap headers, HttpServerRequest req) {
    Peer peer = Peer.of(req);
    boolean trustedPeer = !trusted.isEmpty() && trusted.trusts(peer.address());
    HeaderHygiene.forwarded(headers, peer.address(), trustedPeer, req.getHeader(HttpHeaders.HOST), peer.scheme());
    headers.remove(Mirroring.X_BATON_MIRROR);
  }

  /** {@code headers} of a request to an instance: the client's, less hop-by-hop fields and {@code Expect}, forwarded. */
  void upstreamHeaders(MultiMap headers, HttpServerRequest req) {
    // setAll, not addAll: between two header maps of Vert.x it copies entries without building a list.
    headers.setAll(req.headers());
    HeaderHygiene.stripHopByHop(headers, false);
    headers.remove(HttpHeaders.EXPECT);
    forwarded(headers, req);
  }
}
