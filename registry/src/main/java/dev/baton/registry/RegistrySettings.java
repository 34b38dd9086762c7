package dev.baton.registry;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import java.util.List;

/**
 * The registry's view of its configuration: the shared keys of DESIGN.md §7 plus its own.
 *
 * <table>
 *   <caption>registry-only keys</caption>
 *   <tr><td>{@code BATON_MAX_ARTIFACT_BYTES}</td><td>512 MiB</td><td>largest artifact upload (else 413)</td></tr>
 *   <tr><td>{@code BATON_ARTIFACT_QUOTA_BYTES}</td><td>10 GiB</td><td>all stored artifact bytes (else 413 {@code quota_exceeded})</td></tr>
 *   <tr><td>{@code BATON_MAX_BODY_BYTES}</td><td>1 MiB</td><td>largest JSON request body (else 413)</td></tr>
 *   <tr><td>{@code BATON_TICK_MS}</td><td>500</td><td>how often a waiting release is looked at</td></tr>
 *   <tr><td>{@code BATON_PROGRESS_DEADLINE_SECONDS}</td><td>600</td><td>blocked this long, a release aborts</td></tr>
 *   <tr><td>{@code BATON_START_TIMEOUT_MS}</td><td>180000</td><td>agent start command (download + health)</td></tr>
 *   <tr><td>{@code BATON_STOP_TIMEOUT_MS}</td><td>120000</td><td>agent stop command (drain + grace)</td></tr>
 *   <tr><td>{@code BATON_LIST_TIMEOUT_MS}</td><td>5000</td><td>agent list command</td></tr>
 *   <tr><td>{@code BATON_ROUTE_ACK_TIMEOUT_MS}</td><td>10000</td><td>wait for gateways to apply a route revision</td></tr>
 *   <tr><td>{@code BATON_ROUTE_PROPAGATION_MS}</td><td>1000</td><td>wait after a route write when no gateway is live</td></tr>
 *   <tr><td>{@code BATON_LEADER_TTL_SECONDS}</td><td>10</td><td>leader session TTL (Consul allows 10..86400)</td></tr>
 *   <tr><td>{@code BATON_LEADER_CHECK_MS}</td><td>1000</td><td>how often the leader lock is tried or verified</td></tr>
 *   <tr><td>{@code BATON_DISCOVERY_SCAN_MS}</td><td>1000</td><td>rescan of passing agents and gateways in Consul</td></tr>
 *   <tr><td>{@code BATON_HOST_LOST_MS}</td><td>10000</td><td>an agent not passing or answering this long: its host is lost</td></tr>
 *   <tr><td>{@code BATON_RECONCILE_MS}</td><td>2000</td><td>how often the leader's reconciler looks at every app</td></tr>
 *   <tr><td>{@code BATON_SHUTDOWN_GRACE_MS}</td><td>60000</td><td>longest wait for in-flight work on SIGTERM</td></tr>
 * </table>
 *
 * <p>{@code BATON_REGISTRY_URL}, when set, is the base URL agents download artifacts from; unset, it is
 * {@code http://<BATON_ADVERTISE_HOST>:<BATON_HTTP_PORT>}.
 */
public record RegistrySettings(String id, String bind, int httpPort, String publicUrl, String dataDir,
                               long maxArtifactBytes, long artifactQuotaBytes, long maxBodyBytes, long tickMs, long progressDeadlineMs,
                               long startTimeoutMs, long stopTimeoutMs, long listTimeoutMs, long routeAckTimeoutMs,
                               long routePropagationMs, long leaderTtlSeconds, long leaderCheckMs, long discoveryScanMs,
                               long shutdownGraceMs, long hostLostMs, long reconcileMs) {

  private static final long DAY_MS = 86_400_000L;

  /**
   * 10 GiB: twenty artifacts of the largest default size (512 MiB), room for the three versions each of a
   * few apps that a release and its rollback need, while an upload loop cannot fill a host's disk
   * (docs/ARCHITECTURE.md, Registry, "Artifacts").
   */
  /**
   * 10 s: long enough that one missed heartbeat (the agent's Consul check runs every 5 s) or one slow LIST moves
   * nothing, short enough that a dead host's capacity is back within 30 s: up to 5 s until Consul marks the agent
   * critical, 10 s of patience, then a replacement's start and health check (docs/ARCHITECTURE.md, Registry,
   * "Host liveness").
   */
  static final long DEFAULT_HOST_LOST_MS = 10_000;

  static final long DEFAULT_ARTIFACT_QUOTA_BYTES = 10L * 1024 * 1024 * 1024;

  public static RegistrySettings from(BatonConfig c) {
    String url = c.settings().containsKey("BATON_REGISTRY_URL") ? c.registryUrl()
        : "http://" + c.advertiseHost() + ":" + c.httpPort();
    if (url.contains(",")) {
      throw new ConfigException(List.of("BATON_REGISTRY_URL: a registry's is its own URL, one URL, the one agents"
          + " and peer registries reach it at; the list of every registry is the agents' setting"));
    }
    return new RegistrySettings(c.id(), c.bind(), c.httpPort(), url, c.dataDir(),
        c.intSetting("BATON_MAX_ARTIFACT_BYTES", 512L * 1024 * 1024, 1, Long.MAX_VALUE),
        c.intSetting("BATON_ARTIFACT_QUOTA_BYTES", DEFAULT_ARTIFACT_QUOTA_BYTES, 1, Long.MAX_VALUE),
        c.intSetting("BATON_MAX_BODY_BYTES", 1024 * 1024, 1024, 64L * 1024 * 1024),
        c.intSetting("BATON_TICK_MS", 500, 10, 60_000),
        c.intSetting("BATON_PROGRESS_DEADLINE_SECONDS", 600, 1, 86_400) * 1000,
        c.intSetting("BATON_START_TIMEOUT_MS", 180_000, 1000, DAY_MS),
        c.intSetting("BATON_STOP_TIMEOUT_MS", 120_000, 1000, DAY_MS),
        c.intSetting("BATON_LIST_TIMEOUT_MS", 5_000, 100, 600_000),
        c.intSetting("BATON_ROUTE_ACK_TIMEOUT_MS", 10_000, 100, DAY_MS),
        c.intSetting("BATON_ROUTE_PROPAGATION_MS", 1_000, 0, DAY_MS),
        c.intSetting("BATON_LEADER_TTL_SECONDS", 10, 10, 86_400),
        c.intSetting("BATON_LEADER_CHECK_MS", 1_000, 100, 60_000),
        c.intSetting("BATON_DISCOVERY_SCAN_MS", 1_000, 100, 60_000),
        c.intSetting("BATON_SHUTDOWN_GRACE_MS", 60_000, 0, DAY_MS),
        c.intSetting("BATON_HOST_LOST_MS", DEFAULT_HOST_LOST_MS, 1_000, DAY_MS),
        c.intSetting("BATON_RECONCILE_MS", 2_000, 100, 600_000));
  }
}
