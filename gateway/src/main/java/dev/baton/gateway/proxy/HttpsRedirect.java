package dev.baton.gateway.proxy;

import dev.baton.common.http.server.LastResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code BATON_HTTPS_REDIRECT}: a plain HTTP request is answered with a permanent redirect to the same host and
 * target on the HTTPS port — 301 for GET and HEAD, 308 for other methods so that the method and body are kept
 * (as Traefik's permanent redirect does). ACME HTTP-01 challenges ({@value #ACME_CHALLENGE}) are not redirected:
 * a certificate authority fetches them over plain HTTP, and they are how the certificate gets renewed. Only hosts
 * the gateway serves are redirected (its own names, {@code BATON_HOSTS}, app specs' hosts): the caller checks,
 * so that a forged Host never becomes a Location (docs/ARCHITECTURE.md, Gateway: HTTPS).
 */
final class HttpsRedirect {

  static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

  private HttpsRedirect() {
  }

  static boolean applies(HttpServerRequest req, String originFormUri) {
    return !req.isSSL() && !originFormUri.startsWith(ACME_CHALLENGE);
  }

  /** The name of a Host header value without its port (IPv6 literals kept whole), or null when blank. */
  static String hostName(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return null;
    }
    String host = hostHeader.trim();
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** {@code https://host[:port]/target}, {@code hostName} as {@link #hostName} returns it. */
  static String location(String hostName, int httpsPort, String originFormUri) {
    return "https://" + hostName + (httpsPort == 443 ? "" : ":" + httpsPort) + originFormUri;
  }

  /** Answers the redirect; a request with a body is not read further, so its connection closes after the answer. */
  static void send(HttpServerRequest req, String location, boolean hasBody) {
    HttpMethod m = req.method();
    HttpServerResponse resp = req.response().setStatusCode(m == HttpMethod.GET || m == HttpMethod.HEAD ? 301 : 308)
        .putHeader(HttpHeaders.LOCATION, location).putHeader(HttpHeaders.CONTENT_LENGTH, "0");
    if (hasBody) {
      LastResponse.stopReading(req);
      resp.putHeader(HttpHeaders.CONNECTION, "close");
      LastResponse.closeAfter(req, resp.end());
    } else {
      resp.end();
    }
  }
}
