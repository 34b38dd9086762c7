package dev.baton.gateway.consul;

import dev.baton.common.consul.ServiceNames;
import dev.baton.gateway.GatewaySettings;
import io.vertx.core.Future;
import io.vertx.ext.consul.CheckOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers this gateway as service {@code baton-gateway} with ID = its gateway id, so agents find the
 * live gateways whose drain acks they wait for. Meta: {@code eventBus}, {@code http}, {@code admin}, and
 * {@code https} when the gateway serves HTTPS.
 * Checked by HTTP on the admin {@code /health} every second, at the admin bind address (the Consul agent runs on
 * the gateway's host).
 */
public final class GatewayRegistration {

  public static final String META_ADMIN = "admin";
  /** host:port of the HTTPS traffic port, present only when {@code BATON_HTTPS_PORT} is set. */
  public static final String META_HTTPS = "https";
  /**
   * Which process registered: a gateway replacing this one on the same host and ports has the same ID, and its
   * registration overwrites this one's; the stopping gateway must then leave it in place.
   */
  public static final String META_PROCESS = "process";
  static final String PROCESS = ProcessHandle.current().pid() + "@"
      + ProcessHandle.current().info().startInstant().map(Object::toString).orElse("?");

  private final ConsulClient consul;
  private final GatewaySettings settings;

  public GatewayRegistration(ConsulClient consul, GatewaySettings settings) {
    this.consul = consul;
    this.settings = settings;
  }

  public static ServiceOptions service(GatewaySettings s, String eventBus, int httpPort, int adminPort) {
    String host = s.config().advertiseHost();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(META_PROCESS, PROCESS);
    meta.put(ServiceNames.META_EVENT_BUS, eventBus == null ? "" : eventBus);
    meta.put(ServiceNames.META_HTTP, host + ":" + httpPort);
    String admin = adminHost(s);
    meta.put(META_ADMIN, admin + ":" + adminPort);
    if (s.tls() != null) {
      meta.put(META_HTTPS, host + ":" + s.tls().port());
    }
    String check = "http://" + (admin.contains(":") && !admin.startsWith("[") ? "[" + admin + "]" : admin) + ":"
        + adminPort + "/health";
    return new ServiceOptions().setName(ServiceNames.GATEWAY).setId(s.id()).setAddress(host).setPort(httpPort)
        .setTags(List.of()).setMeta(meta)
        .setCheckOptions(new CheckOptions().setName("gateway admin /health").setHttp(check)
            .setInterval(ServiceNames.CHECK_INTERVAL)
            .setDeregisterAfter(ServiceNames.DEREGISTER_CRITICAL_AFTER));
  }

  /**
   * Where the admin port is reached: its bind address ({@code BATON_ADMIN_BIND}, loopback by default, which the
   * host's Consul agent reaches for the check), or the advertise host when it binds every interface.
   */
  static String adminHost(GatewaySettings s) {
    String bind = s.config().adminBind();
    return "0.0.0.0".equals(bind) || "::".equals(bind) || "[::]".equals(bind) ? s.config().advertiseHost() : bind;
  }

  public Future<Void> register(String eventBus, int httpPort, int adminPort) {
    return consul.registerService(service(settings, eventBus, httpPort, adminPort));
  }

  /**
   * Removes this gateway's registration, unless a gateway that replaces it (same ID) registered since: then the
   * registration is the successor's, and it stays. Answers whether it removed it. (A successor registering
   * between the check and the removal would lose its registration until its next start; the check narrows that
   * window to one local Consul round trip.)
   */
  public Future<Boolean> deregister() {
    return consul.localServices().compose(services -> {
      boolean successor = services.stream().anyMatch(sv -> settings.id().equals(sv.getId()) && sv.getMeta() != null
          && sv.getMeta().get(META_PROCESS) != null && !PROCESS.equals(sv.getMeta().get(META_PROCESS)));
      return successor ? Future.succeededFuture(false) : consul.deregisterService(settings.id()).map(true);
    });
  }
}
