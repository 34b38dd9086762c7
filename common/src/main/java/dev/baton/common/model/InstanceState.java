package dev.baton.common.model;

/** The closed set of states of an app instance on an agent. */
public enum InstanceState {
  /** Process launched, health not yet passed; not registered in Consul. */
  STARTING,
  /** Passed its health check and version check; registered in Consul. */
  HEALTHY,
  /** Deregistered and waiting for gateways to drain it before it is stopped. */
  DRAINING,
  /** Process exited after a stop command. */
  STOPPED,
  /** Failed to start, failed health, reported the wrong version, or crashed. */
  FAILED;

  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }
}
