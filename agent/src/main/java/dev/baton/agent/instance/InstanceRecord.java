package dev.baton.agent.instance;

import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.json.JsonObject;

/**
 * What the agent knows about one instance and persists across its own restarts: the reported
 * {@link Instance}, the request that started it (to restart it and to register it), the verified artifact,
 * the OS start time of its process (pid + start time identify it; a recycled pid does not match), whether it
 * is registered in Consul, and how often it was restarted after crashes.
 */
public record InstanceRecord(Instance instance, StartInstanceRequest request, String artifactPath,
                             long processStartMs, boolean registered, int restarts) {

  public String id() {
    return instance.id();
  }

  public InstanceState state() {
    return instance.state();
  }

  public int port() {
    return instance.port();
  }

  public InstanceRecord withState(InstanceState state, String message) {
    return new InstanceRecord(instance.withState(state, message), request, artifactPath, processStartMs, registered,
        restarts);
  }

  public InstanceRecord withProcess(long pid, long startMs) {
    Instance i = instance;
    Instance moved = new Instance(i.id(), i.app(), i.version(), i.port(), pid, i.state(), i.startedAt(), i.message());
    return new InstanceRecord(moved, request, artifactPath, startMs, registered, restarts);
  }

  public InstanceRecord withRegistered(boolean value) {
    return new InstanceRecord(instance, request, artifactPath, processStartMs, value, restarts);
  }

  public InstanceRecord withRestarts(int value) {
    return new InstanceRecord(instance, request, artifactPath, processStartMs, registered, value);
  }

  public JsonObject toJson() {
    return new JsonObject().put("instance", instance.toJson()).put("request", request.toJson())
        .put("artifactPath", artifactPath).put("processStartMs", processStartMs).put("registered", registered)
        .put("restarts", restarts);
  }

  public static InstanceRecord fromJson(JsonObject json) {
    return new InstanceRecord(Instance.fromJson(json.getJsonObject("instance")),
        StartInstanceRequest.fromJson(json.getJsonObject("request")), json.getString("artifactPath"),
        json.getLong("processStartMs", 0L), json.getBoolean("registered", false), json.getInteger("restarts", 0));
  }
}
