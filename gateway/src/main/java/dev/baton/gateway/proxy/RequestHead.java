package dev.baton.gateway.proxy;

import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * The {@code Host} rules of RFC 9112 §3.2, as pure functions: a request with more than one {@code Host}, a
 * {@code Host} that is not a valid {@code host[:port]}, or an HTTP/1.1 request without one is answered 400, and
 * the connection closes (gateway/README.md, "What the gateway refuses"). An HTTP/1.0 request may omit
 * {@code Host} (the field is HTTP/1.1's): it is routed on its path alone.
 *
 * <p>Valid here is narrower than RFC 3986's {@code reg-name}: a DNS name or an IP address. Letters, digits,
 * {@code - . _ ~}; no empty value (nginx refuses it too), no empty label ({@code ..}, a leading dot); an IPv6
 * literal in brackets; a port of 1 to 5 digits up to 65535. Percent-encoding and sub-delimiters such as
 * {@code , ; ' ( )} are refused: no route matches them, and an app that writes its Host into a page or a link
 * would carry them.
 */
final class RequestHead {

  private RequestHead() {
  }

  /** Why the {@code Host} field lines of a request are refused, or null when they are acceptable. */
  static RequestFraming.Refusal host(HttpVersion version, List<String> hosts) {
    if (hosts.isEmpty()) {
      return version == HttpVersion.HTTP_1_0 ? null : new RequestFraming.Refusal(400, "bad_host",
          "An HTTP/1.1 request must carry a Host header (RFC 9112 §3.2), such as 'Host: shop.example.com'.");
    }
    if (hosts.size() > 1) {
      return new RequestFraming.Refusal(400, "bad_host",
          "A request must carry exactly one Host header (RFC 9112 §3.2); it had " + hosts.size() + ".");
    }
    return validAuthority(hosts.get(0)) ? null : new RequestFraming.Refusal(400, "bad_host",
        "The Host header must be a host name or IP address with an optional port, such as 'shop.example.com:8080'"
            + " (RFC 9112 §3.2).");
  }

  /** True when {@code value} is {@code host[:port]} as this class describes it. */
  static boolean validAuthority(String value) {
    int n = value.length();
    if (n == 0) {
      return false;
    }
    int hostEnd;
    if (value.charAt(0) == '[') {
      hostEnd = value.indexOf(']');
      if (hostEnd < 0 || !ipv6(value, 1, hostEnd)) {
        return false;
      }
      hostEnd++;
    } else {
      int colon = value.indexOf(':');
      hostEnd = colon < 0 ? n : colon;
      if (!regName(value, 0, hostEnd)) {
        return false;
      }
    }
    return hostEnd == n || value.charAt(hostEnd) == ':' && port(value, hostEnd + 1, n);
  }

  private static boolean regName(String s, int from, int to) {
    if (from == to) {
      return false;
    }
    char prev = '.';
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
          || c == '~' || c == '.' && prev != '.';
      if (!ok) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /** Hex digits, colons and the dots of an embedded IPv4 address; the JDK need not parse it to route it. */
  private static boolean ipv6(String s, int from, int to) {
    if (to - from < 2) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
        return false;
      }
    }
    return s.indexOf(':', from) >= 0 && s.indexOf(':', from) < to;
  }

  private static boolean port(String s, int from, int to) {
    if (to - from < 1 || to - from > 5) {
      return false;
    }
    int p = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      p = p * 10 + (c - '0');
    }
    return p <= 65535;
  }
}
