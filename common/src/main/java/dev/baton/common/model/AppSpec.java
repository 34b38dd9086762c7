package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The desired shape of an app (KV {@code baton/apps/<app>}): how many instances, how to check and
 * launch them, and how requests reach them. {@code command} is an argv template where
 * {@code {artifact}} and {@code {port}} are substituted; never a shell string. {@code runAs} (optional) is
 * the host user the instances run as when the agent runs as root; {@code limits} (never null, possibly
 * {@link Limits#NONE}) bounds each instance process. {@code notifications} (JSON {@code notify}) lists receivers of the app's release events
 * (docs/registry-api.md, "Notifications").
 */
public record AppSpec(String name, int instances, String healthPath, List<String> command,
                      Map<String, String> env, String runAs, Limits limits, Routing routing, List<Notify> notifications) {

  public static final List<String> DEFAULT_COMMAND = List.of("java", "-jar", "{artifact}");
  public static final int MAX_INSTANCES = 100;

  public AppSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    limits = limits == null ? Limits.NONE : limits;
    notifications = notifications == null ? List.of() : List.copyOf(notifications);
  }

  /** A spec without notification receivers. */
  public AppSpec(String name, int instances, String healthPath, List<String> command, Map<String, String> env,
                 String runAs, Limits limits, Routing routing) {
    this(name, instances, healthPath, command, env, runAs, limits, routing, List.of());
  }

  /**
   * The spec as served: {@code runAs}, {@code limits} and {@code notify} appear only when set, and every notification
   * secret reads {@value Notify#REDACTED} (docs/registry-api.md, "Notifications").
   */
  public JsonObject toJson() {
    return json(true);
  }

  /** The spec as stored in KV, notification secrets included. */
  public JsonObject toStoredJson() {
    return json(false);
  }

  private JsonObject json(boolean redact) {
    JsonObject json = new JsonObject().put("name", name).put("instances", instances).put("healthPath", healthPath)
        .put("command", new JsonArray(command)).put("env", new JsonObject(Map.copyOf(env)));
    putIsolation(json, runAs, limits);
    json.put("routing", routing.toJson());
    return notifications.isEmpty() ? json : json.put("notify", Notify.toJson(notifications, redact));
  }

  /** A copy with other notification receivers (e.g. redacted secrets replaced by the stored ones). */
  public AppSpec withNotify(List<Notify> receivers) {
    return new AppSpec(name, instances, healthPath, command, env, runAs, limits, routing, receivers);
  }

  /**
   * Parses a spec as stored (KV), leniently; the name comes from the URL path or, when {@code name} is null, from
   * the JSON.
   */
  public static AppSpec fromJson(String name, JsonObject json) {
    return read(name, Fields.of(json));
  }

  /** Parses a spec sent to the API: as {@link #fromJson}, and an unknown field is refused. */
  public static AppSpec fromRequest(String name, JsonObject json) {
    return read(name, Fields.strict(json));
  }

  private static AppSpec read(String name, Fields f) {
    String app = name;
    if (app == null) {
      app = f.matching("name", true, Names.APP, "must match [a-z0-9][a-z0-9-]{0,62}");
    } else if (!Names.isApp(app)) {
      f.error("name", Names.appMessage(app));
    } else {
      String inBody = f.string("name", false);
      if (inBody != null && !inBody.equals(app)) {
        f.error("name", "'" + inBody + "' differs from the app of the URL, " + app);
      }
    }
    Integer instances = f.integer("instances", true, 0, MAX_INSTANCES);
    String health = readHealthPath(f, "healthPath");
    List<String> command = readCommand(f, "command");
    Map<String, String> env = f.env("env");
    String runAs = f.matching("runAs", false, Names.USER, Names.USER_RULE);
    Limits limits = Limits.read(f, "limits");
    Fields r = f.object("routing", false);
    Routing routing = r == null ? Routing.defaults() : Routing.read(r);
    List<Notify> notify = Notify.readAll(f, "notify");
    f.throwIfInvalid();
    return new AppSpec(app, instances, health == null ? "/health" : health,
        command == null ? DEFAULT_COMMAND : command, env, runAs, limits, routing, notify);
  }

  /** Adds {@code runAs} and {@code limits} to {@code json} when they are set (shared with the start request). */
  static void putIsolation(JsonObject json, String runAs, Limits limits) {
    if (runAs != null) {
      json.put("runAs", runAs);
    }
    if (!limits.isEmpty()) {
      json.put("limits", limits.toJson());
    }
  }

  static String readHealthPath(Fields f, String field) {
    String health = f.string(field, false);
    if (health != null && (!health.startsWith("/") || health.length() > 512 || health.contains(" "))) {
      f.error(field, "must be a path starting with / (no spaces, at most 512 characters)");
      return null;
    }
    return health;
  }

  static List<String> readCommand(Fields f, String field) {
    List<String> command = f.strings(field, false);
    if (command != null && (command.isEmpty() || command.get(0).isBlank())) {
      f.error(field, "must be a non-empty argv array whose first element is the program");
      return null;
    }
    return command;
  }
}
