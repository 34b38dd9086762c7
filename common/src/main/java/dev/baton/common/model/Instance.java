package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** An app instance as an agent reports it (DESIGN.md §9). {@code startedAt} is ISO-8601. */
public record Instance(String id, String app, String version, int port, long pid, InstanceState state,
                       String startedAt, String message) {

  public Instance withState(InstanceState newState, String newMessage) {
    return new Instance(id, app, version, port, pid, newState, startedAt, newMessage);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("app", app).put("version", version).put("port", port)
        .put("pid", pid).put("state", state.name()).put("startedAt", startedAt).put("message", message);
  }

  public static Instance fromJson(JsonObject json) {
    return new Instance(json.getString("id"), json.getString("app"), json.getString("version"),
        json.getInteger("port", 0), json.getLong("pid", 0L), InstanceState.valueOf(json.getString("state")),
        json.getString("startedAt"), json.getString("message"));
  }
}
