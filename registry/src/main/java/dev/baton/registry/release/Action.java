package dev.baton.registry.release;

import dev.baton.common.model.RoutePolicy;

/** One side effect a planner asks for; the controller applies it through {@link ReleaseActions}. */
public sealed interface Action {

  /** Start an instance of {@code version} on {@code agentId}; {@code port} null lets the agent pick. */
  record StartInstance(String agentId, String version, Integer port) implements Action {
  }

  /** Drain and stop an instance (the agent deregisters it, waits for gateway drain acks, then stops it). */
  record StopInstance(String agentId, String instanceId, String version) implements Action {
  }

  /** Write the route policy (the store assigns the revision) and wait until live gateways applied it. */
  record WriteRoute(RoutePolicy policy) implements Action {
  }
}
