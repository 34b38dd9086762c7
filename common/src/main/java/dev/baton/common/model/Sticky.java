package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The request attribute that identifies a user for sticky splitting: {@code {"header": name}} or
 * {@code {"cookie": name}}. A user with the same key always falls into the same bucket.
 */
public record Sticky(Match.Source source, String name) {

  public JsonObject toJson() {
    return new JsonObject().put(source.key, name);
  }

  /** Reads a sticky key, recording errors in {@code f}; null when invalid. */
  public static Sticky read(Fields f) {
    boolean header = f.has("header");
    boolean cookie = f.has("cookie");
    if (header == cookie) {
      f.error("header", "exactly one of header or cookie is required");
      return null;
    }
    String key = header ? "header" : "cookie";
    String name = f.matching(key, true, Names.HEADER, "must be a header or cookie name");
    return name == null ? null : new Sticky(header ? Match.Source.HEADER : Match.Source.COOKIE, name);
  }
}
