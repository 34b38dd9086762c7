package dev.baton.registry.api;

import dev.baton.common.consul.ServiceNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceEntry;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An app's instances as Consul's health API reports them (what gateways route by). */
public final class AppInstances {

  private final ConsulClient consul;

  public AppInstances(ConsulClient consul) {
    this.consul = consul;
  }

  /** {@code [{id, version, agent, release, address, port, status}]}. */
  public Future<JsonArray> of(String app) {
    return consul.healthServiceNodes(app, false).map(list -> {
      JsonArray out = new JsonArray();
      if (list != null && list.getList() != null) {
        for (ServiceEntry e : list.getList()) {
          var s = e.getService();
          Map<String, String> meta = s.getMeta() == null ? Map.of() : s.getMeta();
          out.add(new JsonObject().put("id", s.getId())
              .put("version", ServiceNames.versionOf(s.getTags()).orElse(meta.get(ServiceNames.META_VERSION)))
              .put("agent", meta.get(ServiceNames.META_AGENT)).put("release", meta.get(ServiceNames.META_RELEASE))
              .put("address", s.getAddress()).put("port", s.getPort())
              .put("status", e.aggregatedStatus().name().toLowerCase(java.util.Locale.ROOT)));
        }
      }
      return out;
    });
  }

  /** Passing instance count per version. */
  public Future<Map<String, Integer>> passing(String app) {
    return of(app).map(all -> {
      Map<String, Integer> counts = new TreeMap<>();
      all.stream().map(o -> (JsonObject) o)
          .filter(o -> CheckStatus.PASSING.name().equalsIgnoreCase(o.getString("status")) && o.getString("version") != null)
          .forEach(o -> counts.merge(o.getString("version"), 1, Integer::sum));
      return counts;
    });
  }

  /** The version with the most passing instances, if any: what serves an app that has no route policy. */
  public Future<Optional<String>> serving(String app) {
    return passing(app).map(c -> c.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey));
  }
}
