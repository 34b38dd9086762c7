package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * A request predicate of a route rule or a blue-green preview: one of {@code header}, {@code cookie}
 * or {@code query} plus the exact value it must equal. JSON: {@code {"header": "X-Baton-Preview", "equals": "green"}}.
 */
public record Match(Source source, String name, String equals) {

  /** Where in the request the value is read from. */
  public enum Source {
    HEADER("header"), COOKIE("cookie"), QUERY("query");

    public final String key;

    Source(String key) {
      this.key = key;
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put(source.key, name).put("equals", equals);
  }

  public static Match fromJson(JsonObject json) {
    Fields f = Fields.of(json);
    Match m = read(f);
    f.throwIfInvalid();
    return m;
  }

  /** Reads a match, recording errors in {@code f}; null when invalid. */
  public static Match read(Fields f) {
    Source source = null;
    String name = null;
    int count = 0;
    for (Source s : Source.values()) {
      if (f.has(s.key)) {
        count++;
        source = s;
        name = f.matching(s.key, true, Names.HEADER, "must be a header, cookie or query parameter name");
      }
    }
    if (count != 1) {
      f.error("header", "exactly one of header, cookie or query is required");
    }
    String equals = f.string("equals", true);
    if (count != 1 || name == null || equals == null) {
      return null;
    }
    return new Match(source, name, equals);
  }
}
