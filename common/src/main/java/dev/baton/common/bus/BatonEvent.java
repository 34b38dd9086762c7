package dev.baton.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * An entry of {@code baton.events}: {@code kind} is a dotted name such as {@code instance.draining} or
 * {@code release.progressing}; {@code source} the emitting service id; {@code subject} the instance
 * or release id; {@code data} kind-specific details.
 */
public record BatonEvent(String at, String kind, String source, String app, String subject, String message,
                         JsonObject data) {

  public JsonObject toJson() {
    return new JsonObject().put("at", at).put("kind", kind).put("source", source).put("app", app)
        .put("subject", subject).put("message", message).put("data", data == null ? new JsonObject() : data);
  }

  public static BatonEvent fromJson(JsonObject json) {
    return new BatonEvent(json.getString("at"), json.getString("kind"), json.getString("source"),
        json.getString("app"), json.getString("subject"), json.getString("message"), json.getJsonObject("data"));
  }
}
