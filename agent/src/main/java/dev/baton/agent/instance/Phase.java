package dev.baton.agent.instance;

/**
 * What an {@link InstanceSupervisor} is doing with its instance. Finer than the reported
 * {@link dev.baton.common.model.InstanceState}: LAUNCHING, STARTING, REGISTERING, CRASHED and BACKOFF all report
 * STARTING (or keep HEALTHY while an adopted instance passes its gate again), STOPPING reports DRAINING.
 */
public enum Phase {
  /** Created, not yet told to start or to adopt. */
  NEW,
  /** Confining, preparing and launching the process. */
  LAUNCHING,
  /** The process runs; waiting for its health path to pass. */
  STARTING,
  /** Health passed; registering in Consul. */
  REGISTERING,
  /** Healthy and registered: serving. */
  HEALTHY,
  /** The process died or did not come up after a crash: deregistering and killing what is left. */
  CRASHED,
  /** Waiting out the restart backoff. */
  BACKOFF,
  /** The drain-first stop sequence runs. */
  STOPPING,
  /** Ending as FAILED: out of Consul, process killed. */
  FAILING,
  STOPPED,
  FAILED;

  /** Stopping or failing: the end is under way, commands no longer change it. */
  public boolean ending() {
    return this == STOPPING || this == FAILING;
  }

  public boolean ended() {
    return this == STOPPED || this == FAILED;
  }
}
