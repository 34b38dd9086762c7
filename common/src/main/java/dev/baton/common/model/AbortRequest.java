package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@code POST /v1/releases/{id}/abort} (docs/registry-api.md, "Operations"): none or {@code {}} aborts
 * at once; {@code {"gradual": true}} steps a canary's weight back down the steps it took before rolling back,
 * holding each {@code stepDownSeconds} (null: the step's own pause, capped at {@link #MAX_DEFAULT_HOLD_SECONDS}).
 */
public record AbortRequest(boolean gradual, Integer stepDownSeconds) {

  public static final AbortRequest IMMEDIATE = new AbortRequest(false, null);
  /** The hold of a step back when neither the request nor the step's timed pause says (manual or no pause). */
  public static final int DEFAULT_HOLD_SECONDS = 10;
  /** A step's own pause is held at most this long on the way down. */
  public static final int MAX_DEFAULT_HOLD_SECONDS = 30;
  public static final int MAX_STEP_DOWN_SECONDS = 120;

  /** Reads a request body strictly: unknown fields are refused with the nearest name. */
  public static AbortRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    boolean gradual = f.bool("gradual", false);
    Integer hold = f.integer("stepDownSeconds", false, 1, MAX_STEP_DOWN_SECONDS);
    if (hold != null && !gradual) {
      f.error("stepDownSeconds", "applies only to a gradual abort; add \"gradual\": true");
    }
    f.throwIfInvalid();
    return new AbortRequest(gradual, hold);
  }
}
