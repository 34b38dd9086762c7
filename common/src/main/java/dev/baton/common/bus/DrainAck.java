package dev.baton.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A gateway's answer to a {@link DrainRequest}: {@code drained} true when the instance left its table
 * and no request to it is in flight; false when the gateway gave up at the timeout with
 * {@code inFlight} requests still open (reported, never silent).
 */
public record DrainAck(String gateway, String instanceId, boolean drained, int inFlight, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("gateway", gateway).put("instanceId", instanceId).put("drained", drained)
        .put("inFlight", inFlight).put("message", message);
  }

  public static DrainAck fromJson(JsonObject json) {
    return new DrainAck(json.getString("gateway"), json.getString("instanceId"), json.getBoolean("drained", false),
        json.getInteger("inFlight", 0), json.getString("message"));
  }
}
