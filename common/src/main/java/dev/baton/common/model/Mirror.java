package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** Shadow traffic: {@code percent} of requests are also sent to {@code version}; its responses are discarded. */
public record Mirror(String version, double percent) {

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("percent", percent);
  }

  static Mirror read(Fields f) {
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Double percent = Weights.read(f, "percent", true);
    return version == null || percent == null ? null : new Mirror(version, percent);
  }
}
