package dev.baton.common.bus;

/** The event-bus addresses of DESIGN.md §4; no other module spells an address. */
public final class Addresses {

  /** Request/reply commands to one agent: {@code baton.agent.<agentId>}. */
  public static final String AGENT_PREFIX = "baton.agent.";
  /** Published by whoever is about to stop an instance; every live gateway replies when drained. */
  public static final String GATEWAY_DRAIN = "baton.gateway.drain";
  /** Published by each gateway when it applied a route revision: {@code {gateway, app, revision}}. */
  public static final String ROUTES_APPLIED = "baton.gateway.routes.applied";
  /** Published by each gateway once a second: per app and version request metrics. */
  public static final String GATEWAY_METRICS = "baton.gateway.metrics";
  /** Every release transition and instance state change. */
  public static final String EVENTS = "baton.events";

  /** Header naming the command of a request to an agent. */
  public static final String ACTION_HEADER = "action";

  private Addresses() {
  }

  public static String agent(String agentId) {
    return AGENT_PREFIX + agentId;
  }
}
