package dev.baton.registry.api;

import dev.baton.common.model.FieldError;
import dev.baton.common.model.Names;
import dev.baton.common.model.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Reads JSON bodies and path parameters, turning every bad one into a 400 that names the field. */
final class Bodies {

  private Bodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw invalid("body", "a JSON object is required");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw invalid("body", "is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      throw invalid("body", "must be a JSON object");
    }
    return json;
  }

  static String app(RoutingContext ctx) {
    return Names.requireApp(ctx.pathParam("app"));
  }

  static String version(RoutingContext ctx) {
    return Names.requireVersion(ctx.pathParam("version"));
  }

  static ValidationException invalid(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
