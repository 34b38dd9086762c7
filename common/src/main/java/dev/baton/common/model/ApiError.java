package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one error shape of every baton API: {@code {"error": "<code>", "message": "<sentence>"}},
 * plus, for validation failures, the list of offending {@code fields}.
 */
public record ApiError(String error, String message, JsonArray fields) {

  public ApiError(String error, String message) {
    this(error, message, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("error", error).put("message", message);
    if (fields != null && !fields.isEmpty()) {
      json.put("fields", fields);
    }
    return json;
  }

  public static ApiError fromJson(JsonObject json) {
    return new ApiError(json.getString("error", "error"), json.getString("message", ""), json.getJsonArray("fields"));
  }
}
