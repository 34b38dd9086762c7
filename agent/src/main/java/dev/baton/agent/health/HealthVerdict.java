package dev.baton.agent.health;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Judges one health response. Only a 200 counts as up; a 200 whose JSON {@code version} differs from the
 * requested one is a hard failure (the artifact is not what we were asked to run), as is a 200 without a
 * version when versions are required.
 */
public record HealthVerdict(Outcome outcome, String detail) {

  /** The result of one probe. */
  public enum Outcome { UP, NOT_YET, WRONG_VERSION }

  public static HealthVerdict judge(int status, String body, String expectedVersion, boolean requireVersion) {
    if (status != 200) {
      return new HealthVerdict(Outcome.NOT_YET, "health answered " + status);
    }
    String reported = reportedVersion(body);
    if (reported == null) {
      return requireVersion
          ? new HealthVerdict(Outcome.WRONG_VERSION, "health reported no version, expected " + expectedVersion
              + " (the health body must be JSON with a \"version\" field)")
          : new HealthVerdict(Outcome.UP, "up");
    }
    if (!reported.equals(expectedVersion)) {
      return new HealthVerdict(Outcome.WRONG_VERSION, "reported version " + reported + ", expected " + expectedVersion);
    }
    return new HealthVerdict(Outcome.UP, "up, version " + reported);
  }

  static String reportedVersion(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      Object v = new JsonObject(body).getValue("version");
      return v == null ? null : v.toString();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
