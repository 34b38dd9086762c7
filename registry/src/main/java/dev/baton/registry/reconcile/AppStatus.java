package dev.baton.registry.reconcile;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The reconciler's judgement of an app, kept in KV {@code baton/status/<app>} by the leader so that every
 * registry's app view can show it (docs/registry-api.md, "App view"). {@code since} is when the status or reason
 * last changed; {@code lastAction} what the reconciler last did ({@code what}, {@code at}), or null.
 */
public record AppStatus(String app, AppHealth status, String reason, String version, int desired, String since,
                        JsonObject lastAction) {

  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("status", status.name()).put("reason", reason).put("version", version)
        .put("desired", desired).put("since", since).put("lastAction", lastAction);
  }

  /** Parses a stored status; null when it is not one (KV is writable by others: never trusted to be well formed). */
  public static AppStatus fromJson(JsonObject json) {
    try {
      return new AppStatus(json.getString("app"), AppHealth.valueOf(json.getString("status")), json.getString("reason"),
          json.getString("version"), json.getInteger("desired", 0), json.getString("since"),
          json.getJsonObject("lastAction"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** This status with a new judgement; {@code since} moves only when the status or the reason changed. */
  public AppStatus judged(AppHealth next, String why, String currentVersion, int n, String at) {
    boolean changed = next != status || !Objects.equals(why, reason);
    return new AppStatus(app, next, why, currentVersion, n, changed ? at : since, lastAction);
  }

  public AppStatus acted(String what, String at) {
    return new AppStatus(app, status, reason, version, desired, since, new JsonObject().put("what", what).put("at", at));
  }
}
