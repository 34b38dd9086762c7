package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A release of an app from one version to another (KV {@code baton/releases/<app>/<id>}).
 * {@code step} is the index of the strategy step in progress; {@code progress} holds the planner's
 * persisted bookkeeping (e.g. when a pause started), so a restarted registry resumes where it was.
 * {@code config} holds the config overrides of both versions ({@link ReleaseConfig}); {@code gates} are the release's
 * webhooks (docs/registry-api.md, "Gates"). A release stored without either has none. {@code group} is the release
 * group it belongs to, null for most ({@link GroupLink}).
 */
public record Release(String id, String app, String fromVersion, String toVersion, Strategy strategy,
                      ReleasePhase phase, int step, String message, List<HistoryEntry> history,
                      JsonObject progress, ReleaseConfig config, List<Gate> gates, GroupLink group) {

  public Release {
    history = List.copyOf(history);
    progress = progress == null ? new JsonObject() : progress.copy();
    config = config == null ? ReleaseConfig.NONE : config;
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  /** A release of no group. */
  public Release(String id, String app, String fromVersion, String toVersion, Strategy strategy, ReleasePhase phase,
                 int step, String message, List<HistoryEntry> history, JsonObject progress, ReleaseConfig config,
                 List<Gate> gates) {
    this(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, config, gates, null);
  }

  /** A release whose versions run with the spec's config alone, without gates. */
  public Release(String id, String app, String fromVersion, String toVersion, Strategy strategy, ReleasePhase phase,
                 int step, String message, List<HistoryEntry> history, JsonObject progress) {
    this(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, ReleaseConfig.NONE,
        List.of());
  }

  /** A release without gates. */
  public Release(String id, String app, String fromVersion, String toVersion, Strategy strategy, ReleasePhase phase,
                 int step, String message, List<HistoryEntry> history, JsonObject progress, ReleaseConfig config) {
    this(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, config, List.of());
  }

  /** A release whose versions run with the spec's config alone. */
  public Release(String id, String app, String fromVersion, String toVersion, Strategy strategy, ReleasePhase phase,
                 int step, String message, List<HistoryEntry> history, JsonObject progress, List<Gate> gates) {
    this(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, ReleaseConfig.NONE,
        gates);
  }

  /** The config overrides instances of {@code version} started for this release get (none for another version). */
  public ConfigOverrides configOf(String version) {
    return version == null ? ConfigOverrides.NONE : version.equals(toVersion) ? config.target()
        : version.equals(fromVersion) ? config.previous() : ConfigOverrides.NONE;
  }

  /** A copy in {@code newPhase} with a history entry appended. */
  public Release transition(ReleasePhase newPhase, String newMessage, String at) {
    List<HistoryEntry> h = new ArrayList<>(history);
    h.add(new HistoryEntry(at, newPhase, newMessage));
    return new Release(id, app, fromVersion, toVersion, strategy, newPhase, step, newMessage, h, progress, config, gates, group);
  }

  /** A copy with another message and no history entry (a status line that changes often, such as why it waits). */
  public Release withMessage(String newMessage) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, step, newMessage, history, progress, config, gates, group);
  }

  public Release withStep(int newStep) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, newStep, message, history, progress, config, gates, group);
  }

  public Release withProgress(JsonObject newProgress) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, step, message, history, newProgress, config, gates, group);
  }

  public Release withGroup(GroupLink newGroup) {
    return new Release(id, app, fromVersion, toVersion, strategy, phase, step, message, history, progress, config, gates,
        newGroup);
  }

  /** As stored (KV), config values included: agents need them. */
  public JsonObject toJson() {
    return config.putInto(json(), false);
  }

  /** As the API serves it: the config's secret-looking values redacted ({@link Secrets}). */
  public JsonObject toApiJson() {
    return config.putInto(json(), true);
  }

  private JsonObject json() {
    JsonArray h = new JsonArray();
    history.forEach(e -> h.add(e.toJson()));
    JsonObject json = new JsonObject().put("id", id).put("app", app).put("fromVersion", fromVersion)
        .put("toVersion", toVersion).put("strategy", strategy.toJson()).put("phase", phase.name())
        .put("step", step).put("message", message).put("history", h).put("progress", progress.copy()).put("gates", Gate.toJson(gates));
    return group == null ? json : json.put("group", group.toJson());
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
        history, json.getJsonObject("progress"), ReleaseConfig.readFrom(json), Gate.fromJson(json.getJsonArray("gates")),
        GroupLink.fromJson(json.getJsonObject("group")));
  }
}
