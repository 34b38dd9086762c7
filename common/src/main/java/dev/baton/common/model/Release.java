package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A release of an app from one version to another (KV {@code baton/releases/<app>/<id>}).
 * {@code step} is the index of the strategy step in progress; {@code progress} holds the planner's
 * persisted bookkeeping (e.g. when a pause started), so a restarted registry resumes where it was. {@code gates}
 * are the release's webhooks (docs/registry-api.md, "Gates"); a release stored without them has none.
 */
public record Release(String id, String app, String fromVersion, String toVersion, Strategy strategy,
                      ReleasePhase phase, int step, String message, List<HistoryEntry> history,
                      JsonObject progress, List<Gate> gates) {

  public Release {
    history = List.copyOf(history);
    progress = progress == null ? new JsonObject() : progress.copy();
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  /** A release without gates. */
  public Release(String id, String app, String fromVersion, String toVersion, Strategy strategy, ReleasePhase phase,
                 int step, String message, List<HistoryEntry> history, JsonObject progress) {
    this(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, List.of());
  }

  /** A copy in {@code newPhase} with a history entry appended. */
  public Release transition(ReleasePhase newPhase, String newMessage, String at) {
    List<HistoryEntry> h = new ArrayList<>(history);
    h.add(new HistoryEntry(at, newPhase, newMessage));
    return new Release(id, app, fromVersion, toVersion, strategy, newPhase, step, newMessage, h, progress, gates);
  }

  /** A copy with another message and no history entry (a status line that changes often, such as why it waits). */
  public Release withMessage(String newMessage) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, step, newMessage, history, progress, gates);
  }

  public Release withStep(int newStep) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, newStep, message, history, progress, gates);
  }

  public Release withProgress(JsonObject newProgress) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, step, message, history, newProgress, gates);
  }

  public JsonObject toJson() {
    JsonArray h = new JsonArray();
    history.forEach(e -> h.add(e.toJson()));
    return new JsonObject().put("id", id).put("app", app).put("fromVersion", fromVersion)
        .put("toVersion", toVersion).put("strategy", strategy.toJson()).put("phase", phase.name())
        .put("step", step).put("message", message).put("history", h).put("progress", progress.copy()).put("gates", Gate.toJson(gates));
  }

  public static Release fromJson(JsonObject json) {
    List<HistoryEntry> history = new ArrayList<>();
    JsonArray h = json.getJsonArray("history", new JsonArray());
    for (int i = 0; i < h.size(); i++) {
      history.add(HistoryEntry.fromJson(h.getJsonObject(i)));
    }
    return new Release(json.getString("id"), json.getString("app"), json.getString("fromVersion"),
        json.getString("toVersion"), Strategy.fromJson(json.getJsonObject("strategy")),
        ReleasePhase.valueOf(json.getString("phase")), json.getInteger("step", 0), json.getString("message"),
        history, json.getJsonObject("progress"), Gate.fromJson(json.getJsonArray("gates")));
  }
}
