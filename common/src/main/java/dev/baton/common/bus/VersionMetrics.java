package dev.baton.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One gateway's one-second summary on {@code baton.gateway.metrics}: for each app and version the
 * requests completed in the window, how many were 5xx, how many failed to connect, and latency
 * percentiles in milliseconds. Canary analysis sums windows across gateways.
 */
public record VersionMetrics(String gateway, long windowStartMs, long windowEndMs, List<Entry> entries) {

  /** Counters and latency percentiles of one app version in the window. */
  public record Entry(String app, String version, long requests, long errors5xx, long connectFailures,
                      double p50Ms, double p90Ms, double p99Ms) {

    public JsonObject toJson() {
      return new JsonObject().put("app", app).put("version", version).put("requests", requests)
          .put("errors5xx", errors5xx).put("connectFailures", connectFailures)
          .put("p50Ms", p50Ms).put("p90Ms", p90Ms).put("p99Ms", p99Ms);
    }

    public static Entry fromJson(JsonObject j) {
      return new Entry(j.getString("app"), j.getString("version"), j.getLong("requests", 0L),
          j.getLong("errors5xx", 0L), j.getLong("connectFailures", 0L), j.getDouble("p50Ms", 0.0),
          j.getDouble("p90Ms", 0.0), j.getDouble("p99Ms", 0.0));
    }
  }

  public VersionMetrics {
    entries = List.copyOf(entries);
  }

  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    entries.forEach(e -> a.add(e.toJson()));
    return new JsonObject().put("gateway", gateway).put("windowStartMs", windowStartMs)
        .put("windowEndMs", windowEndMs).put("entries", a);
  }

  public static VersionMetrics fromJson(JsonObject json) {
    List<Entry> entries = new ArrayList<>();
    JsonArray a = json.getJsonArray("entries", new JsonArray());
    for (int i = 0; i < a.size(); i++) {
      entries.add(Entry.fromJson(a.getJsonObject(i)));
    }
    return new VersionMetrics(json.getString("gateway"), json.getLong("windowStartMs", 0L),
        json.getLong("windowEndMs", 0L), entries);
  }
}
