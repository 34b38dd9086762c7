package dev.baton.gateway.routing;

/** A passing instance as Consul reports it: service ID, app, version (from its tag) and address. */
public record InstanceInfo(String id, String app, String version, String host, int port) {

  /** Identity of the runtime state kept for this instance across tables: the ID and the address. */
  public String key() {
    return id + "@" + host + ":" + port;
  }

  public String address() {
    return host + ":" + port;
  }
}
