package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** One invalid field of a request or document: the JSON path of the field and what is wrong with it. */
public record FieldError(String field, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
