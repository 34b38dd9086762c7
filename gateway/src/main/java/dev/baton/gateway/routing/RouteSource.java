package dev.baton.gateway.routing;

/** Where the traffic port reads the route table in force: one volatile read per request. */
public interface RouteSource {

  RouteTable table();

  /** False until the first complete table was built from Consul. */
  boolean ready();
}
