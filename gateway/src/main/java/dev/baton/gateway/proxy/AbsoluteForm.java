package dev.baton.gateway.proxy;

import java.util.Locale;

/** Parses an absolute-form request target ({@code http://host:port/path?q}, RFC 9112 §3.2.2). */
final class AbsoluteForm {

  record Target(String host, String authority, String originForm) {
  }

  private AbsoluteForm() {
  }

  /** The target's host, authority and origin-form, or null when it is not an http(s) absolute URI. */
  static Target parse(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    int schemeEnd;
    if (lower.startsWith("http://")) {
      schemeEnd = 7;
    } else if (lower.startsWith("https://")) {
      schemeEnd = 8;
    } else {
      return null;
    }
    int pathStart = uri.length();
    for (int i = schemeEnd; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        pathStart = i;
        break;
      }
    }
    String authority = uri.substring(schemeEnd, pathStart);
    if (authority.isEmpty() || authority.indexOf('@') >= 0) {
      return null;
    }
    String rest = uri.substring(pathStart);
    String origin = rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
    int colon = authority.lastIndexOf(':');
    String host = colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    return new Target(host, authority, origin);
  }
}
