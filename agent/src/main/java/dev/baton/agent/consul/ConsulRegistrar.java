package dev.baton.agent.consul;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.instance.InstanceRecord;
import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's side of Consul, on the Consul agent of its own host. Registration goes through the raw agent API
 * because the client's {@code CheckOptions} cannot express the check {@code Timeout} that DESIGN.md §3
 * requires; queries use the Vert.x Consul client. Both carry the ACL token and speak HTTPS as {@link ConsulAccess}
 * says, and a refusal fails with a message naming the key to fix.
 */
public final class ConsulRegistrar {

  private static final long TIMEOUT_MS = 5_000;

  private final WebClient http;
  private final ConsulClient consul;
  private final ConsulAccess access;
  private final AgentSettings settings;

  /** {@code http} and {@code consul} must have been made from {@code access} (its TLS options). */
  public ConsulRegistrar(WebClient http, ConsulClient consul, ConsulAccess access, AgentSettings settings) {
    this.http = http;
    this.consul = consul;
    this.access = access;
    this.settings = settings;
  }

  public Future<Void> registerInstance(InstanceRecord record) {
    return register(Registrations.instance(record, settings));
  }

  public Future<Void> registerAgent() {
    return register(Registrations.agent(settings));
  }

  public Future<Void> deregisterAgent() {
    return deregister(settings.agentId());
  }

  /** Removes a service of this host's Consul agent; an unknown id is already gone, so that is success. */
  public Future<Void> deregister(String serviceId) {
    return explained(agentApi("/v1/agent/service/deregister/" + serviceId).send()
        .compose(resp -> resp.statusCode() == 200 || resp.statusCode() == 404
            ? Future.succeededFuture()
            : failed("deregister " + serviceId, resp)));
  }

  /** IDs of the app instances registered on this Consul agent with this agent's id in their meta. */
  public Future<Set<String>> ownInstanceIds() {
    return explained(consul.localServices().map(services -> services.stream()
        .filter(s -> !ServiceNames.AGENT.equals(s.getName()))
        .filter(s -> s.getTags() != null && s.getTags().contains(ServiceNames.TAG_BATON))
        .filter(s -> s.getMeta() != null && settings.agentId().equals(s.getMeta().get(ServiceNames.META_AGENT)))
        .map(Service::getId)
        .collect(Collectors.toSet())));
  }

  /** IDs of every service registered on this host's Consul agent (instances, this agent, anything else). */
  public Future<Set<String>> localServiceIds() {
    return explained(consul.localServices()
        .map(services -> services.stream().map(Service::getId).collect(Collectors.toSet())));
  }

  /** The gateway ids (their Consul service IDs) whose checks pass: the gateways a drain must wait for. */
  public Future<Set<String>> passingGateways() {
    return explained(consul.healthServiceNodes(ServiceNames.GATEWAY, true).map(list -> list.getList().stream()
        .map(ServiceEntry::getService)
        .map(Service::getId)
        .collect(Collectors.toSet())));
  }

  /** The URLs ({@code Meta.http}) of the registries passing in Consul: the order artifact downloads try them in. */
  public Future<List<String>> passingRegistryUrls() {
    return explained(consul.healthServiceNodes(ServiceNames.REGISTRY, true).map(list -> list.getList().stream()
        .map(ServiceEntry::getService)
        .map(s -> s.getMeta() == null ? null : s.getMeta().get(ServiceNames.META_HTTP))
        .filter(Objects::nonNull)
        .toList()));
  }

  private Future<Void> register(JsonObject body) {
    return explained(agentApi("/v1/agent/service/register").sendJsonObject(body)
        .compose(resp -> resp.statusCode() == 200 ? Future.succeededFuture()
            : failed("register " + body.getString("ID"), resp)));
  }

  /** A PUT to the Consul agent API, with the ACL token (the client carries host, port and TLS). */
  private HttpRequest<Buffer> agentApi(String uri) {
    return http.put(access.port(), access.host(), uri).ssl(access.tls()).putHeaders(access.headers())
        .timeout(TIMEOUT_MS);
  }

  /** A refusal (ACL token, HTTPS) becomes a failure whose message names the key to fix. */
  private <T> Future<T> explained(Future<T> f) {
    return f.recover(e -> Future.failedFuture(access.explain(e)));
  }

  private static Future<Void> failed(String what, HttpResponse<Buffer> resp) {
    return Future.failedFuture("consul refused to " + what + ": " + resp.statusCode() + " " + resp.bodyAsString());
  }
}
