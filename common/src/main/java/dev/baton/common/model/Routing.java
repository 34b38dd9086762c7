package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How requests reach an app through the gateway: any of {@code hosts} (empty = any host) and a
 * {@code pathPrefix}. The longest matching prefix wins; among equals, a host match beats a wildcard.
 */
public record Routing(List<String> hosts, String pathPrefix) {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]{0,252})?(:[0-9]{1,5})?");

  public Routing {
    hosts = List.copyOf(hosts);
  }

  public static Routing defaults() {
    return new Routing(List.of(), "/");
  }

  public JsonObject toJson() {
    return new JsonObject().put("hosts", new JsonArray(hosts)).put("pathPrefix", pathPrefix);
  }

  static Routing read(Fields f) {
    List<String> hosts = f.strings("hosts", false);
    if (hosts != null) {
      for (int i = 0; i < hosts.size(); i++) {
        if (!HOST.matcher(hosts.get(i)).matches()) {
          f.error("hosts[" + i + "]", "'" + hosts.get(i) + "' is not a host name");
        }
      }
    }
    String prefix = f.string("pathPrefix", false);
    if (prefix != null && (!prefix.startsWith("/") || prefix.contains(" ") || prefix.contains("?"))) {
      f.error("pathPrefix", "must start with / and hold no spaces or query");
    }
    return new Routing(hosts == null ? List.of() : hosts, prefix == null ? "/" : prefix);
  }
}
