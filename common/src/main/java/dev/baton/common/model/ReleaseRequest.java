package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** The body of {@code POST /v1/apps/{app}/releases}: the target version and how to get there. */
public record ReleaseRequest(String version, Strategy strategy) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("strategy", strategy.toJson());
  }

  /**
   * Parses the body of the API call, strictly (an unknown field is refused with the nearest known name); a
   * missing strategy means rolling surge with defaults.
   */
  public static ReleaseRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Fields s = f.object("strategy", false);
    Strategy strategy = s == null ? RollingStrategy.defaults() : Strategy.read(s);
    f.throwIfInvalid();
    return new ReleaseRequest(version, strategy);
  }
}
