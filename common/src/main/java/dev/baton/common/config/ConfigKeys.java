package dev.baton.common.config;

import java.util.Set;
import java.util.TreeSet;

/**
 * Every configuration key a baton service reads, by its env name. The keys of DESIGN.md §7 are common
 * to all services; each service adds its own. A key outside this catalogue is a typo: services warn
 * about it at start, and the docker-compose test rejects it.
 */
public final class ConfigKeys {

  /** Keys every service understands (DESIGN.md §7), plus the config file pointer. */
  public static final Set<String> COMMON = Set.of(
      "BATON_CONFIG", "BATON_HTTP_PORT", "BATON_ADMIN_PORT", "BATON_BIND", "BATON_CONSUL_HOST",
      "BATON_CONSUL_PORT", "BATON_CLUSTER_HOST", "BATON_CLUSTER_PORT", "BATON_CLUSTER_MEMBERS",
      "BATON_CLUSTER_NAME", "BATON_TOKEN", "BATON_ID", "BATON_ADVERTISE_HOST", "BATON_PORT_RANGE",
      "BATON_DATA_DIR", "BATON_REGISTRY_URL", "BATON_CLUSTER_CA", "BATON_CLUSTER_CERT", "BATON_CLUSTER_KEY",
      "BATON_CLUSTER_INSECURE", "BATON_CLUSTER_RELOAD_S", "BATON_EVENT_BUS_PORT", "BATON_READ_TOKEN");

  /** How every service reaches Consul: HTTPS and the ACL token (docs/consul.md). */
  public static final Set<String> CONSUL = Set.of(
      "BATON_CONSUL_TOKEN", "BATON_CONSUL_TLS", "BATON_CONSUL_CA", "BATON_CONSUL_CLIENT_CERT",
      "BATON_CONSUL_CLIENT_KEY");

  public static final Set<String> AGENT = Set.of(
      "BATON_DRAIN_PROPAGATION_MS", "BATON_DRAIN_TIMEOUT_MS", "BATON_HEALTH_INTERVAL_MS",
      "BATON_HEALTH_TIMEOUT_MS", "BATON_INSTANCE_ENV_ALLOW", "BATON_KEEP_STOPPED", "BATON_MAX_ARTIFACT_BYTES",
      "BATON_MAX_BODY_BYTES", "BATON_REQUIRE_VERSION", "BATON_RESTART_BACKOFF_MAX_MS", "BATON_RESTART_BACKOFF_MS",
      "BATON_RESTART_MAX_ATTEMPTS", "BATON_RESTART_RESET_MS", "BATON_RESYNC_MS", "BATON_STOP_GRACE_MS",
      "BATON_REGISTRY_TOKEN", "BATON_MAX_URI_BYTES", "BATON_MAX_HEADER_BYTES", "BATON_HEADER_TIMEOUT_MS",
      "BATON_IDLE_TIMEOUT_S");

  public static final Set<String> GATEWAY = Set.of(
      "BATON_ADMIN_BIND", "BATON_BODY_MIN_RATE", "BATON_BODY_RATE_GRACE_MS", "BATON_BODY_TIMEOUT_MS",
      "BATON_CLIENT_LIMIT_EXEMPT", "BATON_CONNECT_TIMEOUT_MS", "BATON_CONSUL_SETTLE_MS", "BATON_CONSUL_WAIT_S",
      "BATON_DEFAULT_APP", "BATON_EJECT_AFTER", "BATON_EJECT_AFTER_5XX",
      "BATON_EJECT_BASE_MS", "BATON_EJECT_MAX_MS", "BATON_HANDOVER_MS", "BATON_HEADER_TIMEOUT_MS", "BATON_HOSTS",
      "BATON_HTTPS_PORT",
      "BATON_HTTPS_REDIRECT", "BATON_IDLE_TIMEOUT_S", "BATON_MAX_BODY_BYTES", "BATON_MAX_CLIENT_CONNECTIONS",
      "BATON_MAX_CONNECTIONS", "BATON_MAX_HEADER_BYTES",
      "BATON_MAX_URI_BYTES", "BATON_REQUEST_BUFFER_BYTES", "BATON_SHUTDOWN_TIMEOUT_MS", "BATON_STARTUP_TIMEOUT_MS",
      "BATON_TLS_CERT",
      "BATON_TLS_KEY", "BATON_TLS_RELOAD_S", "BATON_TRAFFIC_INSTANCES", "BATON_TRANSPORT", "BATON_TRUSTED_PROXIES",
      "BATON_UPSTREAM_POOL_SIZE", "BATON_UPSTREAM_QUEUE_SIZE", "BATON_UPSTREAM_QUEUE_TIMEOUT_MS",
      "BATON_UPSTREAM_TIMEOUT_MS", "BATON_VERSION_HEADER");

  public static final Set<String> REGISTRY = Set.of(
      "BATON_ARTIFACT_QUOTA_BYTES", "BATON_ARTIFACT_REPLICATION_TIMEOUT_MS", "BATON_ARTIFACT_SYNC_MS",
      "BATON_DISCOVERY_SCAN_MS", "BATON_LEADER_CHECK_MS", "BATON_LEADER_TTL_SECONDS", "BATON_LIST_TIMEOUT_MS",
      "BATON_HOST_LOST_MS", "BATON_RECONCILE_MS",
      "BATON_MAX_ARTIFACT_BYTES", "BATON_MAX_BODY_BYTES", "BATON_PROGRESS_DEADLINE_SECONDS",
      "BATON_ROUTE_ACK_TIMEOUT_MS", "BATON_ROUTE_PROPAGATION_MS", "BATON_SHUTDOWN_GRACE_MS",
      "BATON_START_TIMEOUT_MS", "BATON_STOP_TIMEOUT_MS", "BATON_TICK_MS", "BATON_MAX_URI_BYTES",
      "BATON_MAX_HEADER_BYTES", "BATON_HEADER_TIMEOUT_MS", "BATON_IDLE_TIMEOUT_S");

  private ConfigKeys() {
  }

  /** All keys {@code service} reads. */
  public static Set<String> forService(ServiceKind service) {
    Set<String> all = new TreeSet<>(COMMON);
    all.addAll(CONSUL);
    all.addAll(switch (service) {
      case AGENT -> AGENT;
      case GATEWAY -> GATEWAY;
      case REGISTRY -> REGISTRY;
    });
    return all;
  }

  /** The {@code BATON_*} keys of {@code config.settings()} that {@code service} does not read. */
  public static Set<String> unknown(BatonConfig config) {
    Set<String> known = forService(config.service());
    Set<String> out = new TreeSet<>();
    config.settings().keySet().stream().filter(k -> !known.contains(k)).forEach(out::add);
    return out;
  }
}
