package dev.baton.common.http.server;

import io.netty.handler.codec.http.HttpHeaderValidationUtil;

/**
 * Validation of a request line that Netty's decoder leaves out (RFC 9112 §3.2): the request target holds no
 * control character or space (bytes above 0x7F are let through, as nginx does for raw UTF-8 paths), and the
 * method is a token. Netty's own header validation stays on for field names and values (non-token names such
 * as {@code Transfer-Encoding : chunked}, bare CR, LF or NUL in values). Run once per request by
 * {@link StrictRequestDecoder}; a problem makes the request invalid, answered 400 with the connection closed.
 */
public final class HeadValidation {

  private HeadValidation() {
  }

  /** What is wrong with a request's method or target; null when nothing is. */
  public static String requestLine(CharSequence method, CharSequence target) {
    // Netty's token check (RFC 9110 §5.6.2), which its decoder applies to header names but not to the method.
    if (method.length() == 0 || HttpHeaderValidationUtil.validateToken(method) != -1) {
      return "the method is not a token";
    }
    for (int i = 0, n = target.length(); i < n; i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return "the request target contains a control character or space at offset " + i;
      }
    }
    return null;
  }
}
