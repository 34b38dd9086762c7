package dev.baton.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tokens fail closed (docs/ARCHITECTURE.md "Configuration"). The port that accepts commands — the registry's and
 * the agent's HTTP port ({@code BATON_BIND}), the gateway's admin port ({@code BATON_ADMIN_BIND}) — may bind a
 * non-loopback address only with {@code BATON_TOKEN} set. A read token ({@code BATON_READ_TOKEN}) needs an
 * operator token and must differ from it. On loopback without a token the service stays open, for a developer's
 * machine, and says so loudly at start. Pure: no name is resolved, so only literal loopback counts.
 */
public final class TokenRule {

  private TokenRule() {
  }

  /** The key that sets the bind address of {@code service}'s command port. */
  public static String bindKey(ServiceKind service) {
    return service == ServiceKind.GATEWAY ? "BATON_ADMIN_BIND" : "BATON_BIND";
  }

  /** What is wrong with these settings, one sentence per problem, each starting with the key to set. */
  public static List<String> problems(ServiceKind service, String commandBind, String token, String readToken) {
    List<String> out = new ArrayList<>();
    if (token == null && !isLoopback(commandBind)) {
      out.add("BATON_TOKEN: must be set because " + bindKey(service) + "=" + commandBind + " is not a loopback "
          + "address, so anyone who can reach this host could " + (service == ServiceKind.GATEWAY
          ? "read the gateway's admin API" : "command the " + service.key) + "; set BATON_TOKEN to a "
          + "long random secret (e.g. the output of 'openssl rand -hex 32'), or bind 127.0.0.1");
    }
    if (readToken != null && token == null) {
      out.add("BATON_READ_TOKEN: needs BATON_TOKEN as well (a read-only token on an open API protects nothing)");
    }
    if (readToken != null && readToken.equals(token)) {
      out.add("BATON_READ_TOKEN: must differ from BATON_TOKEN (the read token may only read)");
    }
    return out;
  }

  /**
   * The warning a service prints at start when its command port is open (no token, on loopback), or empty.
   */
  public static Optional<String> openWarning(BatonConfig c) {
    if (c.token() != null) {
      return Optional.empty();
    }
    String bind = c.service() == ServiceKind.GATEWAY ? c.adminBind() : c.bind();
    int port = c.service() == ServiceKind.GATEWAY ? c.adminPort() : c.httpPort();
    return Optional.of(c.service().key + ": WARNING: BATON_TOKEN is not set, so the " + c.service().key
        + (c.service() == ServiceKind.GATEWAY ? " admin API" : " API") + " on " + bind + ":" + port
        + " accepts commands from every process on this host without a credential; set BATON_TOKEN "
        + "(required before binding a non-loopback address)");
  }

  /**
   * True for 127.0.0.0/8 in dotted decimal, ::1 (any spelling, bracketed or not) and {@code localhost}; false for
   * anything else, wildcard addresses ({@code 0.0.0.0}, {@code ::}) and other host names included.
   */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (h.contains(":")) {
      return isIpv6Loopback(h);
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      // Leading zeros are refused: some parsers read them as octal, and a doubtful address counts as exposed.
      if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return parts[0].equals("127");
  }

  private static boolean isIpv6Loopback(String h) {
    if (!h.matches("[0-9a-f:]+") || h.indexOf("::") != h.lastIndexOf("::")) {
      return false;
    }
    String[] halves = h.split("::", -1);
    List<String> groups = new ArrayList<>();
    if (halves.length == 2) {
      List<String> head = halves[0].isEmpty() ? List.of() : List.of(halves[0].split(":"));
      List<String> tail = halves[1].isEmpty() ? List.of() : List.of(halves[1].split(":"));
      if (head.size() + tail.size() > 7) {
        return false;
      }
      groups.addAll(head);
      for (int i = head.size() + tail.size(); i < 8; i++) {
        groups.add("0");
      }
      groups.addAll(tail);
    } else {
      groups.addAll(List.of(h.split(":", -1)));
    }
    if (groups.size() != 8) {
      return false;
    }
    for (int i = 0; i < 8; i++) {
      String g = groups.get(i);
      if (g.isEmpty() || g.length() > 4 || Integer.parseInt(g, 16) != (i == 7 ? 1 : 0)) {
        return false;
      }
    }
    return true;
  }
}
