package dev.baton.agent;

import dev.baton.agent.artifact.RegistryCredential;
import dev.baton.agent.process.EnvAllowList;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.PortRange;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's view of its configuration: the shared keys of DESIGN.md §7 plus the agent's own keys,
 * each read through {@link BatonConfig#intSetting} so a bad value fails the start with the key's name.
 *
 * <table>
 *   <caption>agent-only keys</caption>
 *   <tr><td>{@code BATON_DRAIN_TIMEOUT_MS}</td><td>30000</td><td>longest wait for gateway drain acks</td></tr>
 *   <tr><td>{@code BATON_DRAIN_PROPAGATION_MS}</td><td>2000</td><td>wait after deregistering when no gateway is live</td></tr>
 *   <tr><td>{@code BATON_STOP_GRACE_MS}</td><td>30000</td><td>SIGTERM to SIGKILL</td></tr>
 *   <tr><td>{@code BATON_HEALTH_TIMEOUT_MS}</td><td>60000</td><td>deadline for the first passing health check</td></tr>
 *   <tr><td>{@code BATON_HEALTH_INTERVAL_MS}</td><td>250</td><td>pause between health polls</td></tr>
 *   <tr><td>{@code BATON_MAX_ARTIFACT_BYTES}</td><td>512 MiB</td><td>largest artifact downloaded</td></tr>
 *   <tr><td>{@code BATON_REGISTRY_URL}</td><td>http://127.0.0.1:8090</td><td>the registries artifacts are
 *       downloaded from, comma-separated; the token goes to these only ({@link RegistryCredential})</td></tr>
 *   <tr><td>{@code BATON_MAX_BODY_BYTES}</td><td>65536</td><td>largest HTTP request body (else 413)</td></tr>
 *   <tr><td>{@code BATON_RESTART_BACKOFF_MS} / {@code _MAX_MS}</td><td>1000 / 30000</td><td>crash restart backoff</td></tr>
 *   <tr><td>{@code BATON_RESTART_MAX_ATTEMPTS}</td><td>10</td><td>crash restarts in a row before FAILED (0: no limit)</td></tr>
 *   <tr><td>{@code BATON_RESTART_RESET_MS}</td><td>60000</td><td>healthy this long and the crash streak starts over</td></tr>
 *   <tr><td>{@code BATON_REQUIRE_VERSION}</td><td>true</td><td>the health body must report the requested version</td></tr>
 *   <tr><td>{@code BATON_KEEP_STOPPED}</td><td>50</td><td>STOPPED/FAILED records kept (oldest removed first)</td></tr>
 *   <tr><td>{@code BATON_RESYNC_MS}</td><td>10000</td><td>how often lost Consul registrations are restored (0: never)</td></tr>
 *   <tr><td>{@code BATON_INSTANCE_ENV_ALLOW}</td><td>(none)</td><td>more variables of the agent's environment
 *       instances inherit, beyond {@link EnvAllowList#DEFAULT} ({@code NAME} or {@code PREFIX*}, comma-separated)</td></tr>
 * </table>
 */
public record AgentSettings(String agentId, String bind, int httpPort, String advertiseHost, PortRange portRange,
                            Path dataDir, long drainTimeoutMs, long drainPropagationMs, long stopGraceMs,
                            long healthTimeoutMs, long healthIntervalMs, long maxArtifactBytes, long maxBodyBytes,
                            long restartBackoffMs, long restartBackoffMaxMs, int restartMaxAttempts,
                            long restartResetMs, boolean requireVersion, int keepStopped,
                            long resyncMs, EnvAllowList instanceEnvAllow) {

  private static final long DAY_MS = 86_400_000L;

  public static AgentSettings from(BatonConfig c) {
    RegistryCredential.registries(c.registryUrl()); // a bad registry list is a start error naming the key
    return new AgentSettings(c.id(), c.bind(), c.httpPort(), c.advertiseHost(), c.portRange(),
        Path.of(c.dataDir()).toAbsolutePath().normalize(),
        c.intSetting("BATON_DRAIN_TIMEOUT_MS", 30_000, 0, DAY_MS),
        c.intSetting("BATON_DRAIN_PROPAGATION_MS", 2_000, 0, DAY_MS),
        c.intSetting("BATON_STOP_GRACE_MS", 30_000, 0, DAY_MS),
        c.intSetting("BATON_HEALTH_TIMEOUT_MS", 60_000, 1, DAY_MS),
        c.intSetting("BATON_HEALTH_INTERVAL_MS", 250, 10, 60_000),
        c.intSetting("BATON_MAX_ARTIFACT_BYTES", 512L * 1024 * 1024, 1, Long.MAX_VALUE),
        c.intSetting("BATON_MAX_BODY_BYTES", 64 * 1024, 1024, 16L * 1024 * 1024),
        c.intSetting("BATON_RESTART_BACKOFF_MS", 1_000, 1, DAY_MS),
        c.intSetting("BATON_RESTART_BACKOFF_MAX_MS", 30_000, 1, DAY_MS),
        (int) c.intSetting("BATON_RESTART_MAX_ATTEMPTS", 10, 0, 1_000_000),
        c.intSetting("BATON_RESTART_RESET_MS", 60_000, 0, DAY_MS),
        c.boolSetting("BATON_REQUIRE_VERSION", true),
        (int) c.intSetting("BATON_KEEP_STOPPED", 50, 0, 100_000),
        c.intSetting("BATON_RESYNC_MS", 10_000, 0, DAY_MS),
        envAllowList(c.stringSetting("BATON_INSTANCE_ENV_ALLOW", "")));
  }

  private static EnvAllowList envAllowList(String extra) {
    try {
      return EnvAllowList.parse(extra);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("BATON_INSTANCE_ENV_ALLOW: " + e.getMessage()));
    }
  }

  /**
   * The default idle timeout of the HTTP API ({@code BATON_IDLE_TIMEOUT_S}): a {@code ?wait=healthy} start or a
   * {@code ?wait=stopped} stop sends nothing until it ends, so the connection may be silent for up to the health
   * timeout, or the drain timeout plus its propagation plus the stop grace; a minute more than the longer of the two.
   */
  public int defaultIdleTimeoutSeconds() {
    long longestWaitMs = Math.max(healthTimeoutMs, drainTimeoutMs + drainPropagationMs + stopGraceMs);
    return (int) Math.min(86_400, (longestWaitMs + 999) / 1000 + 60);
  }

  /** Where instance records are persisted. */
  public Path stateDir() {
    return dataDir.resolve("state");
  }

  /** Verified artifacts, one file per sha256. */
  public Path artifactDir() {
    return dataDir.resolve("artifacts");
  }

  /** Where the instances' own directories are. */
  public Path instancesDir() {
    return dataDir.resolve("instances");
  }

  /** One instance's directory: its log, its working directory (docs/agent.md, "Isolation"). */
  public Path instanceDir(String instanceId) {
    return instancesDir().resolve(instanceId);
  }

  /** The URL others (and Consul's check) use to reach this agent's HTTP API. */
  public String httpUrl() {
    String host = "0.0.0.0".equals(bind) || "::".equals(bind) ? advertiseHost : bind;
    return "http://" + host + ":" + httpPort;
  }
}
