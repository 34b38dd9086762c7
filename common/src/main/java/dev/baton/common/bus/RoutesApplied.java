package dev.baton.common.bus;

import io.vertx.core.json.JsonObject;

/** Published on {@code baton.gateway.routes.applied} when {@code gateway} applied {@code revision} of {@code app}. */
public record RoutesApplied(String gateway, String app, long revision) {

  public JsonObject toJson() {
    return new JsonObject().put("gateway", gateway).put("app", app).put("revision", revision);
  }

  public static RoutesApplied fromJson(JsonObject json) {
    return new RoutesApplied(json.getString("gateway"), json.getString("app"), json.getLong("revision", 0L));
  }
}
