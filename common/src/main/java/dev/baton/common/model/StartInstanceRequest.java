package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * An agent's start command (HTTP {@code POST /v1/instances} and event bus {@code start}).
 * {@code port} null means "pick one from the agent's range"; {@code release} is the release id
 * recorded in the Consul meta, if any. {@code runAs} and {@code limits} come from the app's spec
 * ({@link AppSpec}): the user the process runs as (null: the agent's own) and its resource limits.
 */
public record StartInstanceRequest(String app, String version, ArtifactRef artifact, Integer port,
                                   Map<String, String> env, String healthPath, List<String> command,
                                   String release, String runAs, Limits limits) {

  public StartInstanceRequest {
    env = Map.copyOf(env);
    command = List.copyOf(command);
    limits = limits == null ? Limits.NONE : limits;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("app", app).put("version", version).put("artifact", artifact.toJson())
        .put("port", port).put("env", new JsonObject(Map.copyOf(env))).put("healthPath", healthPath)
        .put("command", new JsonArray(command)).put("release", release);
    AppSpec.putIsolation(json, runAs, limits);
    return json;
  }

  /** Parses a start request from the registry (bus) or a state file, leniently. */
  public static StartInstanceRequest fromJson(JsonObject json) {
    return read(Fields.of(json));
  }

  /** Parses a start request sent to the agent's HTTP API: as {@link #fromJson}, and an unknown field is refused. */
  public static StartInstanceRequest fromRequest(JsonObject json) {
    return read(Fields.strict(json));
  }

  private static StartInstanceRequest read(Fields f) {
    String app = f.matching("app", true, Names.APP, "must match [a-z0-9][a-z0-9-]{0,62}");
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Fields a = f.object("artifact", true);
    ArtifactRef artifact = a == null ? null : ArtifactRef.read(a);
    Integer port = f.integer("port", false, 1, 65535);
    Map<String, String> env = f.env("env");
    String health = AppSpec.readHealthPath(f, "healthPath");
    List<String> command = AppSpec.readCommand(f, "command");
    String release = f.string("release", false);
    String runAs = f.matching("runAs", false, Names.USER, Names.USER_RULE);
    Limits limits = Limits.read(f, "limits");
    f.throwIfInvalid();
    return new StartInstanceRequest(app, version, artifact, port, env, health == null ? "/health" : health,
        command == null ? AppSpec.DEFAULT_COMMAND : command, release, runAs, limits);
  }
}
