package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config one version of an app runs with on top of its spec (docs/ARCHITECTURE.md, "Config rolls back with the
 * code"): {@code env} merged key by key over the spec's env, {@code command} (when not null) replacing the spec's
 * command template. {@link #NONE} is the spec alone. Sent with a release ({@code "env"}, {@code "command"} of
 * {@code POST /v1/apps/{app}/releases}) and checked by the spec's own rules.
 */
public record ConfigOverrides(Map<String, String> env, List<String> command) {

  public static final ConfigOverrides NONE = new ConfigOverrides(Map.of(), null);

  public ConfigOverrides {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    command = command == null ? null : List.copyOf(command);
  }

  public boolean isEmpty() {
    return env.isEmpty() && command == null;
  }

  /** The environment an instance gets: the spec's, each overridden name replaced or added. */
  public Map<String, String> envOver(Map<String, String> specEnv) {
    Map<String, String> out = new TreeMap<>(specEnv);
    out.putAll(env);
    return Collections.unmodifiableMap(out);
  }

  /** The command template an instance gets: the override when set, else the spec's. */
  public List<String> commandOver(List<String> specCommand) {
    return command == null ? specCommand : command;
  }

  /** As stored (KV): {@code {"env": {…}}} and {@code "command"} when set. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("env", new JsonObject(new TreeMap<>(env)));
    return command == null ? json : json.put("command", new JsonArray(command));
  }

  /** As served: {@link #toJson()} with secret-looking values replaced (see {@link Secrets}). */
  public JsonObject toRedactedJson() {
    JsonObject json = new JsonObject().put("env", new JsonObject(new TreeMap<String, Object>(Secrets.redact(env))));
    return command == null ? json : json.put("command", new JsonArray(Secrets.redact(command)));
  }

  /** Reads what {@link #toJson()} wrote, leniently; null (a release stored before overrides existed) is NONE. */
  public static ConfigOverrides fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    Fields f = Fields.of(json);
    ConfigOverrides read = read(f);
    return f.errors().isEmpty() ? read : NONE;
  }

  /**
   * Reads {@code env} and {@code command} of {@code f}'s object (the release request's own fields) by the app spec's
   * rules: valid variable names with string values, a non-empty argv whose first element is the program. Errors go
   * to {@code f}; the caller throws.
   */
  public static ConfigOverrides read(Fields f) {
    Map<String, String> env = f.env("env");
    List<String> command = AppSpec.readCommand(f, "command");
    return new ConfigOverrides(env, command);
  }
}
