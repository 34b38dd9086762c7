package dev.baton.registry.peer;

import dev.baton.common.config.BatonConfig;

/**
 * How registries share artifacts (docs/registry-api.md, "Artifacts on every registry").
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code BATON_ARTIFACT_REPLICATION_TIMEOUT_MS}</td><td>30000</td><td>longest wait of an upload for
 *       every live registry to confirm it holds the bytes</td></tr>
 *   <tr><td>{@code BATON_ARTIFACT_SYNC_MS}</td><td>60000</td><td>how often a registry looks for recorded artifacts
 *       it lacks and fetches them from a peer (0: only at start and on demand)</td></tr>
 * </table>
 */
public record PeerSettings(long replicationTimeoutMs, long syncMs) {

  private static final long DAY_MS = 86_400_000L;

  public static PeerSettings from(BatonConfig c) {
    return new PeerSettings(c.intSetting("BATON_ARTIFACT_REPLICATION_TIMEOUT_MS", 30_000, 100, DAY_MS),
        c.intSetting("BATON_ARTIFACT_SYNC_MS", 60_000, 0, DAY_MS));
  }
}
