package dev.baton.cli.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named registry to talk to, as kubectl's contexts: its URL, a token (inline, or a file read at each use so a
 * rotated token needs no edit), a CA file for an HTTPS registry with a private CA, and the read token that
 * {@code baton logs} sends to agents (SECURITY.md: an address found in Consul never gets the operator token).
 */
public record Context(String name, String registry, String token, String tokenFile, String ca, String readToken) {

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("registry", registry);
    if (token != null) {
      m.put("token", token);
    }
    if (tokenFile != null) {
      m.put("tokenFile", tokenFile);
    }
    if (ca != null) {
      m.put("ca", ca);
    }
    if (readToken != null) {
      m.put("readToken", readToken);
    }
    return m;
  }

  static Context fromMap(String name, Map<?, ?> m) {
    return new Context(name, string(m, "registry"), string(m, "token"), string(m, "tokenFile"), string(m, "ca"),
        string(m, "readToken"));
  }

  private static String string(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v.toString();
  }
}
