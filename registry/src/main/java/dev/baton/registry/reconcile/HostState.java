package dev.baton.registry.reconcile;

/**
 * The closed set of states of a baton agent's host, as the registry judges it (docs/ARCHITECTURE.md, Registry,
 * "Host liveness").
 */
public enum HostState {
  /** Its {@code baton-agent} service passes in Consul and it answered its last LIST. */
  LIVE,
  /**
   * It stopped passing or answering less than {@code BATON_HOST_LOST_MS} ago: its instances, taken from Consul,
   * count as possibly serving, nothing is started in their place and no release finishes around them.
   */
  SUSPECT,
  /** Not live for {@code BATON_HOST_LOST_MS} or more: its instances count as gone and are replaced elsewhere. */
  LOST
}
