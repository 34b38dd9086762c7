package dev.baton.common.http.server;

import dev.baton.common.http.ApiErrors;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder could not accept, answered in the JSON error shape of every baton API before
 * Vert.x closes the connection: a request line over {@code BATON_MAX_URI_BYTES} → 414, headers over
 * {@code BATON_MAX_HEADER_BYTES} → 431, a version other than HTTP/1.1 or HTTP/1.0 (the HTTP/2 preface,
 * {@code HTTP/1.2}, {@code HTTP/3.0}, garbage) → 505, any other framing error (duplicate or unparsable
 * {@code Content-Length}, {@code Content-Length} with {@code Transfer-Encoding}, bad syntax) → 400.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

  private final int maxUri;
  private final int maxHeaders;

  public InvalidRequests(int maxUri, int maxHeaders) {
    this.maxUri = maxUri;
    this.maxHeaders = maxHeaders;
  }

  @Override
  public void handle(HttpServerRequest req) {
    DecoderResult result = req.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof TooLongHttpLineException) {
      ApiErrors.sendAndClose(req, 414, "uri_too_long",
          "The request line exceeds " + maxUri + " bytes (BATON_MAX_URI_BYTES); shorten the URI.");
    } else if (cause instanceof TooLongHttpHeaderException) {
      ApiErrors.sendAndClose(req, 431, "headers_too_large",
          "The request headers exceed " + maxHeaders + " bytes (BATON_MAX_HEADER_BYTES); send fewer or smaller headers.");
    } else if (cause instanceof UnsupportedHttpVersion v) {
      ApiErrors.sendAndClose(req, 505, "http_version_not_supported", "This server speaks HTTP/1.1 (and HTTP/1.0), "
          + "not '" + v.version() + "'; HTTP/2 and HTTP/3 are not offered on this port.");
    } else {
      ApiErrors.sendAndClose(req, 400, "bad_request", "The request is not valid HTTP/1.1"
          + (cause == null || cause.getMessage() == null ? "." : ": " + cause.getMessage()));
    }
  }
}
