package dev.baton.common.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns merged raw values into a typed {@link BatonConfig}, collecting a problem per bad key. */
final class Resolver {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");

  private final ServiceKind service;
  private final Map<String, String> values;
  private final Map<String, String> origin;
  private final String hostname;
  private final List<String> problems = new ArrayList<>();

  Resolver(ServiceKind service, Map<String, String> values, Map<String, String> origin, String hostname) {
    this.service = service;
    this.values = values;
    this.origin = origin;
    this.hostname = hostname;
  }

  BatonConfig build() {
    int httpPort = port("BATON_HTTP_PORT", service.defaultHttpPort);
    int adminPort = port("BATON_ADMIN_PORT", 8081);
    String bind = host("BATON_BIND", "127.0.0.1");
    String consulHost = host("BATON_CONSUL_HOST", "127.0.0.1");
    int consulPort = port("BATON_CONSUL_PORT", 8500);
    String clusterHost = host("BATON_CLUSTER_HOST", "127.0.0.1");
    int clusterPort = port("BATON_CLUSTER_PORT", 0);
    List<String> members = members("BATON_CLUSTER_MEMBERS", "127.0.0.1");
    String clusterName = matching("BATON_CLUSTER_NAME", "baton", ID, "must be letters, digits, '.', '_' or '-'");
    String token = secret("BATON_TOKEN");
    String readToken = secret("BATON_READ_TOKEN");
    String commandBind = service == ServiceKind.GATEWAY ? host("BATON_ADMIN_BIND", "127.0.0.1") : bind;
    problems.addAll(TokenRule.problems(service, commandBind, token, readToken));
    String defaultId = (hostname == null || hostname.isBlank() ? "localhost" : hostname)
        .replaceAll("[^A-Za-z0-9._-]", "-") + "-" + httpPort;
    String id = matching("BATON_ID", defaultId, ID, "must be 1-64 letters, digits, '.', '_' or '-'");
    String advertise = host("BATON_ADVERTISE_HOST", "127.0.0.1");
    PortRange range = portRange("BATON_PORT_RANGE", "20000-20999");
    String dataDir = or("BATON_DATA_DIR", "./data/" + service.key);
    String registryUrl = or("BATON_REGISTRY_URL", "http://127.0.0.1:8090");
    if (!registryUrl.startsWith("http://") && !registryUrl.startsWith("https://")) {
      problem("BATON_REGISTRY_URL", "'" + registryUrl + "' must be an http:// or https:// URL");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new BatonConfig(service, httpPort, adminPort, bind, consulHost, consulPort, clusterHost, clusterPort,
        members, clusterName, token, id, advertise, range, dataDir, stripSlash(registryUrl), values);
  }

  private String raw(String key) {
    return values.get(key);
  }

  /** A token: null when unset; blank is an error (it would be too easy to leave an API open by mistake). */
  private String secret(String key) {
    String v = raw(key);
    if (v != null && v.isBlank()) {
      problem(key, "must not be blank (unset it, or set a long random secret)");
      return null;
    }
    return v == null ? null : v.trim();
  }

  private String or(String key, String dflt) {
    String v = raw(key);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  private void problem(String key, String message) {
    String from = origin.getOrDefault(key, key);
    problems.add(from.equals(key) ? key + ": " + message : key + " (" + from + "): " + message);
  }

  private int port(String key, int dflt) {
    String v = raw(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    Integer p = parsePort(v.trim());
    if (p == null) {
      problem(key, "'" + v + "' is not a port number (0-65535)");
      return dflt;
    }
    return p;
  }

  private static Integer parsePort(String v) {
    try {
      int p = Integer.parseInt(v);
      return p >= 0 && p <= 65535 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String host(String key, String dflt) {
    return matching(key, dflt, HOST, "must be a host name or IP address");
  }

  private String matching(String key, String dflt, Pattern pattern, String rule) {
    String v = or(key, dflt);
    if (!pattern.matcher(v).matches()) {
      problem(key, "'" + v + "' " + rule);
      return dflt;
    }
    return v;
  }

  private List<String> members(String key, String dflt) {
    List<String> out = Arrays.stream(or(key, dflt).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String m : out) {
      int colon = m.lastIndexOf(':');
      String host = colon < 0 ? m : m.substring(0, colon);
      Integer port = colon < 0 ? Integer.valueOf(1) : parsePort(m.substring(colon + 1));
      if (!HOST.matcher(host).matches() || port == null || port == 0) {
        problem(key, "'" + m + "' is not host or host:port");
      }
    }
    if (out.isEmpty()) {
      problem(key, "must list at least one member (host or host:port)");
    }
    return out;
  }

  private PortRange portRange(String key, String dflt) {
    String v = or(key, dflt);
    String[] parts = v.split("-");
    Integer first = parts.length == 2 ? parsePort(parts[0].trim()) : null;
    Integer last = parts.length == 2 ? parsePort(parts[1].trim()) : null;
    if (first == null || last == null || first < 1 || first > last) {
      problem(key, "'" + v + "' is not a port range like 20000-20999");
      return new PortRange(20000, 20999);
    }
    return new PortRange(first, last);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
