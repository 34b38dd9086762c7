package dev.baton.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.Map;

/**
 * The gateway's one validation pass over a message head (RFC 9110 §5.1, §5.5; RFC 9112 §3.2), run once on
 * each request the decoder produces and once on each instance response, instead of the per-copy checks of
 * Vert.x and Netty (which the gateway switches off, see {@code GatewayMain#TUNING}):
 * <ul>
 *   <li>a field name is a non-empty token: this refuses {@code Transfer-Encoding : chunked} (Netty keeps the
 *       space in the name of a request header) and every other name an instance might read differently;</li>
 *   <li>a field value holds no control character but HTAB: no bare CR, LF or NUL (obs-text is allowed);</li>
 *   <li>a request target holds no control character or space (bytes above 0x7F are let through, as nginx
 *       does for raw UTF-8 paths); a method is a token.</li>
 * </ul>
 * Each check answers null when the head is valid, else what is wrong, for the 400 (or 502) message.
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

  /** What is wrong with a request's method, target or fields; null when nothing is. */
  public static String request(CharSequence method, CharSequence target, HttpHeaders headers) {
    if (!isToken(method)) {
      return "the method is not a token";
    }
    for (int i = 0, n = target.length(); i < n; i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return "the request target contains a control character or space at offset " + i;
      }
    }
    return fields(headers);
  }

  /** What is wrong with the fields of a head; null when nothing is. */
  public static String fields(HttpHeaders headers) {
    Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      String problem = field(e.getKey(), e.getValue());
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** What is wrong with one field; null when nothing is. */
  public static String field(CharSequence name, CharSequence value) {
    if (!isToken(name)) {
      return "a header name is not a token: '" + printable(name) + "'";
    }
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c < ' ' && c != '\t' || c == 0x7f) {
        return "the value of header '" + name + "' contains a control character (0x"
            + Integer.toHexString(c) + ")";
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

  private static String printable(CharSequence s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= ' ' && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
