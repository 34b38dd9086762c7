package dev.baton.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hop-by-hop header handling (RFC 9110 §7.6.1) and {@code X-Forwarded-*} (de facto standard), as pure
 * functions on header maps. A proxy must not forward the fields named in {@code Connection}, nor the
 * fixed hop-by-hop fields; and it must not trust forwarding headers from a client that is not a proxy.
 */
public final class HeaderHygiene {

  public static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("x-forwarded-for");
  public static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("x-forwarded-proto");
  public static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("x-forwarded-host");
  public static final CharSequence FORWARDED = HttpHeaders.createOptimized("forwarded");
  static final CharSequence X_FORWARDED_PORT = HttpHeaders.createOptimized("x-forwarded-port");
  static final CharSequence X_FORWARDED_PREFIX = HttpHeaders.createOptimized("x-forwarded-prefix");
  static final CharSequence X_FORWARDED_SSL = HttpHeaders.createOptimized("x-forwarded-ssl");
  static final CharSequence X_FORWARDED_SCHEME = HttpHeaders.createOptimized("x-forwarded-scheme");
  static final CharSequence X_REAL_IP = HttpHeaders.createOptimized("x-real-ip");
  static final CharSequence TRUE_CLIENT_IP = HttpHeaders.createOptimized("true-client-ip");
  static final CharSequence X_CLIENT_IP = HttpHeaders.createOptimized("x-client-ip");
  static final CharSequence CLIENT_IP = HttpHeaders.createOptimized("client-ip");
  static final CharSequence X_CLUSTER_CLIENT_IP = HttpHeaders.createOptimized("x-cluster-client-ip");
  static final CharSequence PROXY_CONNECTION = HttpHeaders.createOptimized("proxy-connection");
  static final CharSequence TRAILER = HttpHeaders.createOptimized("trailer");
  static final CharSequence TE = HttpHeaders.createOptimized("te");

  private static final CharSequence[] HOP_BY_HOP = {
      HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE, PROXY_CONNECTION, TE, TRAILER, HttpHeaders.TRANSFER_ENCODING,
      HttpHeaders.UPGRADE, HttpHeaders.PROXY_AUTHORIZATION, HttpHeaders.PROXY_AUTHENTICATE
  };

  /**
   * Fields only a proxy may set: they tell an app the client's address or the request as the client made it
   * (scheme, port, path prefix), and frameworks believe them (nginx's realip, Spring's ForwardedHeaderFilter,
   * Rack, Express's trust proxy). Kept from a trusted proxy, dropped from anyone else; the gateway sets only
   * {@code X-Forwarded-For/-Proto/-Host} itself (docs/ARCHITECTURE.md, Gateway: Forwarded headers).
   */
  static final CharSequence[] FROM_PROXIES = {
      X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, FORWARDED, X_FORWARDED_PORT, X_FORWARDED_PREFIX,
      X_FORWARDED_SSL, X_FORWARDED_SCHEME, X_REAL_IP, TRUE_CLIENT_IP, X_CLIENT_IP, CLIENT_IP, X_CLUSTER_CLIENT_IP
  };

  private HeaderHygiene() {
  }

  /**
   * The extra field names a {@code Connection} header value lists (lower case), without the
   * {@code close}/{@code keep-alive}/{@code upgrade} options; empty (and allocation-free) when there are none.
   */
  public static List<String> connectionNamed(String connection) {
    if (connection == null || connection.isEmpty() || connection.equalsIgnoreCase("keep-alive")
        || connection.equalsIgnoreCase("close")) {
      return List.of();
    }
    List<String> out = null;
    int start = 0;
    int n = connection.length();
    while (start <= n) {
      int comma = connection.indexOf(',', start);
      int end = comma < 0 ? n : comma;
      String token = connection.substring(start, end).trim();
      if (!token.isEmpty() && !token.equalsIgnoreCase("close") && !token.equalsIgnoreCase("keep-alive")) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(token.toLowerCase(Locale.ROOT));
      }
      start = end + 1;
    }
    return out == null ? List.of() : out;
  }

  /**
   * Removes the hop-by-hop fields and every field named in {@code Connection} from {@code headers}.
   * {@code Upgrade} is kept and re-announced when {@code keepUpgrade} (a WebSocket handshake).
   */
  public static void stripHopByHop(MultiMap headers, boolean keepUpgrade) {
    List<String> named = connectionNamed(headers.get(HttpHeaders.CONNECTION));
    for (int i = 0; i < named.size(); i++) {
      String name = named.get(i);
      if (!(keepUpgrade && name.equals("upgrade"))) {
        headers.remove(name);
      }
    }
    for (CharSequence name : HOP_BY_HOP) {
      if (!(keepUpgrade && name == HttpHeaders.UPGRADE)) {
        headers.remove(name);
      }
    }
    if (keepUpgrade) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
    }
  }

  /**
   * Sets {@code X-Forwarded-For/-Proto/-Host} for a request that arrived from {@code peer}. From a trusted
   * proxy the existing chain is kept and the peer appended (to {@code X-Forwarded-For}, and to {@code Forwarded}
   * when the proxy sent one); from anyone else every field in {@link #FROM_PROXIES} is dropped and
   * {@code X-Forwarded-For/-Proto/-Host} say what the socket says.
   */
  public static void forwarded(MultiMap headers, String peer, boolean trustedPeer, String host, String proto) {
    if (trustedPeer) {
      List<String> chain = headers.getAll(X_FORWARDED_FOR);
      headers.set(X_FORWARDED_FOR, chain.isEmpty() ? peer : String.join(", ", chain) + ", " + peer);
      if (!headers.contains(X_FORWARDED_PROTO)) {
        headers.set(X_FORWARDED_PROTO, proto);
      }
      if (!headers.contains(X_FORWARDED_HOST) && host != null) {
        headers.set(X_FORWARDED_HOST, host);
      }
      if (headers.contains(FORWARDED)) {
        headers.add(FORWARDED, forwardedFor(peer));
      }
      return;
    }
    for (CharSequence name : FROM_PROXIES) {
      headers.remove(name);
    }
    headers.set(X_FORWARDED_FOR, peer);
    headers.set(X_FORWARDED_PROTO, proto);
    if (host != null) {
      headers.set(X_FORWARDED_HOST, host);
    } else {
      headers.remove(X_FORWARDED_HOST);
    }
  }

  /** A {@code Forwarded} element naming {@code peer} (RFC 7239 §6: an IPv6 node is bracketed and quoted). */
  static String forwardedFor(String peer) {
    return peer.indexOf(':') >= 0 ? "for=\"[" + peer + "]\"" : "for=" + peer;
  }
}
