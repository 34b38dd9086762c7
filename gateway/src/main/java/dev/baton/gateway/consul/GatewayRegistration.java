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

  private final ConsulClient consul;
  private final GatewaySettings settings;

  public GatewayRegistration(ConsulClient consul, GatewaySettings settings) {
    this.consul = consul;
    this.settings = settings;
  }

  public static ServiceOptions service(GatewaySettings s, String eventBus, int httpPort, int adminPort) {
    String host = s.config().advertiseHost();
    Map<String, String> meta = new LinkedHashMap<>();
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

  public Future<Void> deregister() {
    return consul.deregisterService(settings.id());
  }
}
