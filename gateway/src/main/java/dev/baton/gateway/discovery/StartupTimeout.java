package dev.baton.gateway.discovery;

import java.util.List;

/**
 * Why the first route table did not come within {@code BATON_STARTUP_TIMEOUT_MS}, in words that point at the
 * cause. Two different situations: Consul never answered (it is down or misaddressed), or it answered some
 * sources and not others — typically a Consul agent closing this address's connections beyond its
 * {@code limits.http_max_conns_per_client} (200 by default), since the gateway holds one blocking query per app
 * (docs/ARCHITECTURE.md, "Control-plane latency").
 */
public final class StartupTimeout {

  private StartupTimeout() {
  }

  public static String message(String consulAddress, long timeoutMs, List<SourceHealth> sources) {
    List<SourceHealth> unread = sources.stream().filter(s -> !s.everSucceeded()).toList();
    String firstError = unread.stream().filter(SourceHealth::stale).findFirst()
        .map(s -> "'" + s.name() + "': " + s.toJson().getString("lastError")).orElse("no answer");
    if (unread.size() == sources.size()) {
      return "cannot read routes from Consul at " + consulAddress + " within " + timeoutMs + " ms (" + firstError
          + "); start Consul or fix BATON_CONSUL_HOST/BATON_CONSUL_PORT";
    }
    return "cannot read every route source from Consul at " + consulAddress + " within " + timeoutMs + " ms: "
        + unread.size() + " of " + sources.size() + " unread (first " + firstError + "). Consul answers the others:"
        + " the gateway holds one connection per app for its blocking queries, and a Consul agent closes a client"
        + " address's connections beyond limits.http_max_conns_per_client (200 by default); raise that limit on the"
        + " agent this gateway reads, or BATON_STARTUP_TIMEOUT_MS if Consul is only slow";
  }
}
