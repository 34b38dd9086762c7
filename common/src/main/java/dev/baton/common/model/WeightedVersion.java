package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** One entry of a route split: a version and its share of traffic, 0–100 with up to two decimals. */
public record WeightedVersion(String version, double weight) {

  /** The weight in basis points (hundredths of a percent), exact: 12.34% is 1234. */
  public int basisPoints() {
    return (int) Math.round(weight * 100);
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("weight", weight);
  }

  static WeightedVersion read(Fields f) {
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Double weight = Weights.read(f, "weight", true);
    return version == null || weight == null ? null : new WeightedVersion(version, weight);
  }
}
