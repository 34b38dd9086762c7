package dev.baton.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * Message framing checks of RFC 9112 §6 that the HTTP decoder does not already enforce. Netty rejects
 * unparsable and conflicting {@code Content-Length} values; a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is rejected by common's {@code StrictRequestDecoder}. What is left: a
 * {@code Transfer-Encoding} other than exactly {@code chunked} (we forward no other coding, and an
 * unknown one makes the length unknowable, §6.3 item 4), and a body on a request too large to accept.
 */
public final class RequestFraming {

  /** Why a request is refused: status, error code, message. */
  public record Refusal(int status, String error, String message) {
  }

  private RequestFraming() {
  }

  /** A refusal, or null when the framing is acceptable. {@code maxBody} &lt; 0 means no limit. */
  public static Refusal check(MultiMap headers, long maxBody) {
    if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      List<String> te = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        return new Refusal(400, "bad_framing",
            "Transfer-Encoding must be exactly 'chunked' (got '" + String.join(", ", te) + "').");
      }
      if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
        return new Refusal(400, "bad_framing",
            "A request must not carry both Content-Length and Transfer-Encoding (RFC 9112 §6.3).");
      }
      return null;
    }
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (cl != null && maxBody >= 0) {
      long len;
      try {
        len = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        return new Refusal(400, "bad_framing", "Content-Length must be a single non-negative number.");
      }
      if (len < 0) {
        return new Refusal(400, "bad_framing", "Content-Length must be a single non-negative number.");
      }
      if (len > maxBody) {
        return tooLarge(maxBody);
      }
    }
    return null;
  }

  public static Refusal tooLarge(long maxBody) {
    return new Refusal(413, "body_too_large", "The request body exceeds the gateway's limit of " + maxBody
        + " bytes (BATON_MAX_BODY_BYTES).");
  }

  /** True when the request carries a body to forward. */
  public static boolean hasBody(MultiMap headers) {
    String cl = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) {
      return !cl.equals("0");
    }
    return headers.contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
