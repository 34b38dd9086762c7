package dev.baton.registry.reconcile;

/** The closed set of an app's statuses in its view; the human reason is a separate field. */
public enum AppHealth {
  /** {@code instances} passing instances of the current version, nothing else running. */
  OK,
  /** The reconciler is starting, stopping or waiting for instances (or for an agent that does not answer). */
  RECONCILING,
  /** The reconciler cannot restore the desired count: no live agent, no host below its share, starts failing. */
  DEGRADED
}
