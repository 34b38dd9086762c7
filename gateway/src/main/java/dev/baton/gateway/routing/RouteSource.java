package dev.baton.gateway.routing;

import java.time.Instant;

/** Where the traffic port reads the route table in force: one volatile read per request. */
public interface RouteSource {

  RouteTable table();

  /** False until the first complete table was built from Consul. */
  boolean ready();

  /**
   * When the table in force first applied the app's current policy revision (the volatile write that swapped it in),
   * to the microsecond; null for an app without a policy. The admin API's {@code /v1/routes} shows it, and the
   * control-plane benchmark times a revision from its KV write to this moment on each gateway (bench/README.md).
   */
  Instant revisionAppliedAt(String app);
}
