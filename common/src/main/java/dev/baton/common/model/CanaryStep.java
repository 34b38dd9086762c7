package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * One canary step: route {@code weight}% to the canary, then pause {@code pauseSeconds}, or until a
 * manual promote when {@code manualPause}, or not at all when neither is set.
 */
public record CanaryStep(double weight, Integer pauseSeconds, boolean manualPause) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("weight", weight);
    if (manualPause) {
      json.put("pause", "manual");
    } else if (pauseSeconds != null) {
      json.put("pauseSeconds", pauseSeconds);
    }
    return json;
  }

  static CanaryStep read(Fields f) {
    Double weight = Weights.read(f, "weight", true);
    if (weight != null && weight <= 0) {
      f.error("weight", "must be greater than 0");
      weight = null;
    }
    Integer pause = f.integer("pauseSeconds", false, 0, 86_400);
    String manual = f.string("pause", false);
    if (manual != null && !manual.equals("manual")) {
      f.error("pause", "the only pause keyword is \"manual\"; use pauseSeconds for a timed pause");
      return null;
    }
    if (manual != null && f.has("pauseSeconds")) {
      f.error("pause", "give either pause: manual or pauseSeconds, not both");
      return null;
    }
    return weight == null || pause == null && f.has("pauseSeconds") ? null
        : new CanaryStep(weight, pause, manual != null);
  }
}
