package dev.baton.common.config;

/** The three baton services and their default main HTTP port (DESIGN.md §7). */
public enum ServiceKind {
  GATEWAY("gateway", 8080), AGENT("agent", 8070), REGISTRY("registry", 8090);

  public final String key;
  public final int defaultHttpPort;

  ServiceKind(String key, int defaultHttpPort) {
    this.key = key;
    this.defaultHttpPort = defaultHttpPort;
  }
}
