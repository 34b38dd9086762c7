package dev.baton.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@code baton.gateway.drain}: the instance {@code instanceId} at {@code host:port} is
 * about to stop. Each live gateway sends a {@link DrainAck} to {@code replyTo} once it routes no new
 * request to it and its in-flight requests are done, or after {@code timeoutMs}.
 */
public record DrainRequest(String instanceId, String app, String version, String host, int port,
                           String replyTo, long timeoutMs) {

  public JsonObject toJson() {
    return new JsonObject().put("instanceId", instanceId).put("app", app).put("version", version)
        .put("host", host).put("port", port).put("replyTo", replyTo).put("timeoutMs", timeoutMs);
  }

  public static DrainRequest fromJson(JsonObject json) {
    return new DrainRequest(json.getString("instanceId"), json.getString("app"), json.getString("version"),
        json.getString("host"), json.getInteger("port", 0), json.getString("replyTo"),
        json.getLong("timeoutMs", 10_000L));
  }
}
