package dev.baton.gateway.proxy;

import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * What a client connection says of every request on it, worked out once when it is accepted: the peer's address
 * as text and the scheme, kept on the channel. Per request they cost an attribute lookup; asking Vert.x costs an
 * address-to-text conversion and, for the scheme, a search of the connection's pipeline for a TLS handler
 * (bench/README.md, "What each change gave").
 */
record Peer(String address, String scheme) {

  private static final AttributeKey<Peer> KEY = AttributeKey.valueOf("baton.peer");

  /** Records the peer of a connection accepted by a server whose scheme is {@code scheme}. */
  static void install(HttpConnection connection, String scheme) {
    if (connection instanceof ConnectionBase c) {
      c.channel().attr(KEY).set(new Peer(text(connection.remoteAddress()), scheme));
    }
  }

  /** The peer of {@code req}'s connection, as installed, or as Vert.x tells when it was not. */
  static Peer of(HttpServerRequest req) {
    if (req.connection() instanceof ConnectionBase c) {
      Peer p = c.channel().attr(KEY).get();
      if (p != null) {
        return p;
      }
    }
    return new Peer(text(req.remoteAddress()), req.scheme());
  }

  private static String text(SocketAddress a) {
    return a == null ? "unknown" : a.hostAddress();
  }
}
