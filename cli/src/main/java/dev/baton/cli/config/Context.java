package dev.baton.cli.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named registry to talk to, as kubectl's contexts: its URL, a token (inline, or a file read at each use so a
 * rotated token needs no edit), and a CA file for an HTTPS registry with a private CA.
 */
public record Context(String name, String registry, String token, String tokenFile, String ca) {

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
    return m;
  }

  static Context fromMap(String name, Map<?, ?> m) {
    return new Context(name, string(m, "registry"), string(m, "token"), string(m, "tokenFile"), string(m, "ca"));
  }

  private static String string(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v.toString();
  }
}
