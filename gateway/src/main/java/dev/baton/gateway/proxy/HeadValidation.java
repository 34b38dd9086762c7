package dev.baton.gateway.proxy;

/**
 * Validation of a request line that Netty's decoder leaves out (RFC 9112 §3.2): the request target holds no
 * control character or space (bytes above 0x7F are let through, as nginx does for raw UTF-8 paths), and the
 * method is a token. Netty's own header validation stays on for field names and values (non-token names such
 * as {@code Transfer-Encoding : chunked}, bare CR, LF or NUL in values). Run once per request by
 * {@link StrictRequestDecoder}; a problem makes the request invalid, answered 400 with the connection closed.
 */
public final class HeadValidation {

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private HeadValidation() {
  }

  /** What is wrong with a request's method or target; null when nothing is. */
  public static String requestLine(CharSequence method, CharSequence target) {
    if (!isToken(method)) {
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

  static boolean isToken(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 128 || !TCHAR[c]) {
        return false;
      }
    }
    return true;
  }
}
