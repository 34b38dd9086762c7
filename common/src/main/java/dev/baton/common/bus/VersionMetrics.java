package dev.baton.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One gateway's one-second summary on {@code baton.gateway.metrics}: for each app and version the
 * requests completed in the window, how many were 5xx, how many failed to connect, and latency
 * percentiles in milliseconds, and the latency histogram's bucket counts ({@code latency}, compact: see
 * {@link LatencyBuckets}). Canary analysis sums windows and histograms across gateways. {@code inFlight} gives the
 * requests in flight per instance at the window's end (the dashboard's instance table). Reading is lenient: an
 * entry of an older gateway has no {@code latency} and reads with an empty histogram.
 */
public record VersionMetrics(String gateway, long windowStartMs, long windowEndMs, List<Entry> entries,
                             Map<String, Integer> inFlight) {

  /** A summary without in-flight counts, as an older gateway sends it. */
  public VersionMetrics(String gateway, long windowStartMs, long windowEndMs, List<Entry> entries) {
    this(gateway, windowStartMs, windowEndMs, entries, Map.of());
  }

  /**
   * Counters, latency percentiles and the latency histogram of one app version in the window.
   *
   * @param latency bucket counts in the {@link LatencyBuckets} layout, {@link LatencyBuckets#COUNT} long, all zero
   *                when the gateway sent none
   */
  public record Entry(String app, String version, long requests, long errors5xx, long connectFailures,
                      double p50Ms, double p90Ms, double p99Ms, long[] latency) {

    public Entry {
      latency = latency == null || latency.length != LatencyBuckets.COUNT ? new long[LatencyBuckets.COUNT] : latency;
    }

    /** An entry without a histogram, as an older gateway sends it. */
    public Entry(String app, String version, long requests, long errors5xx, long connectFailures,
                 double p50Ms, double p90Ms, double p99Ms) {
      this(app, version, requests, errors5xx, connectFailures, p50Ms, p90Ms, p99Ms, null);
    }

    /** Whether the gateway sent bucket counts for its requests (an older one does not). */
    public boolean hasHistogram() {
      for (long c : latency) {
        if (c > 0) {
          return true;
        }
      }
      return false;
    }

    public JsonObject toJson() {
      return new JsonObject().put("app", app).put("version", version).put("requests", requests)
          .put("errors5xx", errors5xx).put("connectFailures", connectFailures)
          .put("p50Ms", p50Ms).put("p90Ms", p90Ms).put("p99Ms", p99Ms).put("latency", LatencyBuckets.toJson(latency));
    }

    public static Entry fromJson(JsonObject j) {
      long[] latency = new long[LatencyBuckets.COUNT];
      Object l = j.getValue("latency");
      LatencyBuckets.addJson(l instanceof JsonArray a ? a : null, latency);
      return new Entry(j.getString("app"), j.getString("version"), j.getLong("requests", 0L),
          j.getLong("errors5xx", 0L), j.getLong("connectFailures", 0L), j.getDouble("p50Ms", 0.0),
          j.getDouble("p90Ms", 0.0), j.getDouble("p99Ms", 0.0), latency);
    }
  }

  /** {@code inFlight}: the requests this gateway has in flight per instance id at the window's end, zeros left out. */
  public VersionMetrics {
    entries = List.copyOf(entries);
    inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
  }

  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    entries.forEach(e -> a.add(e.toJson()));
    JsonObject flight = new JsonObject();
    inFlight.forEach(flight::put);
    return new JsonObject().put("gateway", gateway).put("windowStartMs", windowStartMs)
        .put("windowEndMs", windowEndMs).put("entries", a).put("inFlight", flight);
  }

  /** This summary with the gateway's in-flight counts per instance. */
  public VersionMetrics withInFlight(Map<String, Integer> counts) {
    return new VersionMetrics(gateway, windowStartMs, windowEndMs, entries, counts);
  }

  public static VersionMetrics fromJson(JsonObject json) {
    List<Entry> entries = new ArrayList<>();
    JsonArray a = json.getJsonArray("entries", new JsonArray());
    for (int i = 0; i < a.size(); i++) {
      entries.add(Entry.fromJson(a.getJsonObject(i)));
    }
    Map<String, Integer> inFlight = new HashMap<>();
    if (json.getValue("inFlight") instanceof JsonObject flight) {
      flight.forEach(e -> {
        if (e.getValue() instanceof Number n && n.intValue() > 0) {
          inFlight.put(e.getKey(), n.intValue());
        }
      });
    }
    return new VersionMetrics(json.getString("gateway"), json.getLong("windowStartMs", 0L),
        json.getLong("windowEndMs", 0L), entries, inFlight);
  }
}
