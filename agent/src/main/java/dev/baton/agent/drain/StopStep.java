package dev.baton.agent.drain;

/** One step of stopping an instance, in the order a plan lists them. */
public enum StopStep {
  /** Remove the instance from Consul so no gateway picks it for a new request. */
  DEREGISTER,
  /** Ask every live gateway to drain it and wait for their acks (or the drain timeout). */
  DRAIN,
  /** SIGTERM, wait the grace period for it to finish in-flight work and exit, then SIGKILL. */
  TERMINATE
}
