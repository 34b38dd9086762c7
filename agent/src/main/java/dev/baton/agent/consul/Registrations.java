package dev.baton.agent.consul;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.instance.InstanceRecord;
import dev.baton.common.bus.Addresses;
import dev.baton.common.consul.ServiceNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The exact Consul agent-API payloads of DESIGN.md §3 (pure, so tests read them field by field). An instance is
 * registered only after it passed its health check locally, so its check starts {@code passing}: it becomes
 * routable at once, and Consul's own probe takes over one interval later.
 */
public final class Registrations {

  private Registrations() {
  }

  /** {@code PUT /v1/agent/service/register} body for an instance. */
  public static JsonObject instance(InstanceRecord record, AgentSettings settings) {
    var req = record.request();
    String release = req.release() == null ? "" : req.release();
    JsonObject meta = new JsonObject()
        .put(ServiceNames.META_VERSION, req.version())
        .put(ServiceNames.META_AGENT, settings.agentId())
        .put(ServiceNames.META_RELEASE, release)
        .put(ServiceNames.META_SHA256, req.artifact().sha256());
    JsonObject check = new JsonObject()
        .put("CheckID", "service:" + record.id())
        .put("Name", req.app() + " " + req.version() + " health")
        .put("HTTP", "http://" + settings.advertiseHost() + ":" + record.port() + req.healthPath())
        .put("Interval", ServiceNames.CHECK_INTERVAL)
        .put("Timeout", ServiceNames.CHECK_TIMEOUT)
        .put("DeregisterCriticalServiceAfter", ServiceNames.DEREGISTER_CRITICAL_AFTER)
        .put("Status", "passing");
    return new JsonObject()
        .put("ID", record.id())
        .put("Name", req.app())
        .put("Tags", new JsonArray(ServiceNames.instanceTags(req.version())))
        .put("Address", settings.advertiseHost())
        .put("Port", record.port())
        .put("Meta", meta)
        .put("Check", check);
  }

  /** {@code PUT /v1/agent/service/register} body for the agent itself ({@code baton-agent}). */
  public static JsonObject agent(AgentSettings settings) {
    JsonObject meta = new JsonObject()
        .put(ServiceNames.META_AGENT, settings.agentId())
        .put(ServiceNames.META_HTTP, settings.httpUrl())
        .put(ServiceNames.META_EVENT_BUS, Addresses.agent(settings.agentId()));
    JsonObject check = new JsonObject()
        .put("CheckID", "service:" + settings.agentId())
        .put("Name", "baton agent " + settings.agentId() + " health")
        .put("HTTP", settings.httpUrl() + "/v1/health")
        .put("Interval", "5s")
        .put("Timeout", "2s")
        .put("DeregisterCriticalServiceAfter", "10m");
    return new JsonObject()
        .put("ID", settings.agentId())
        .put("Name", ServiceNames.AGENT)
        .put("Tags", new JsonArray().add(ServiceNames.TAG_BATON))
        .put("Address", settings.advertiseHost())
        .put("Port", settings.httpPort())
        .put("Meta", meta)
        .put("Check", check);
  }
}
