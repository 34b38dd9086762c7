package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** A rule of a route policy: requests that satisfy {@code match} go to {@code version}. */
public record RouteRule(Match match, String version) {

  public JsonObject toJson() {
    return new JsonObject().put("match", match.toJson()).put("version", version);
  }

  static RouteRule read(Fields f) {
    Fields m = f.object("match", true);
    Match match = m == null ? null : Match.read(m);
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    return match == null || version == null ? null : new RouteRule(match, version);
  }
}
