package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** One timestamped transition of a release; {@code at} is ISO-8601. */
public record HistoryEntry(String at, ReleasePhase phase, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("at", at).put("phase", phase.name()).put("message", message);
  }

  public static HistoryEntry fromJson(JsonObject json) {
    return new HistoryEntry(json.getString("at"), ReleasePhase.valueOf(json.getString("phase")),
        json.getString("message"));
  }
}
