package dev.baton.registry.release;

import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;

/** An instance as observed: where it runs, what its agent says, and whether Consul reports it passing. */
public record ObservedInstance(String agentId, Instance instance, boolean routable) {

  public String id() {
    return instance.id();
  }

  public String version() {
    return instance.version();
  }

  public int port() {
    return instance.port();
  }

  /** Running or about to run: STARTING or HEALTHY. */
  public boolean active() {
    return instance.state() == InstanceState.STARTING || instance.state() == InstanceState.HEALTHY;
  }

  /** HEALTHY on its agent and passing in Consul: gateways route to it. */
  public boolean ready() {
    return instance.state() == InstanceState.HEALTHY && routable;
  }
}
