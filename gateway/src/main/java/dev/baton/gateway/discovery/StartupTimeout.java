package dev.baton.gateway.discovery;

import java.util.List;

/**
 * Why the first route table did not come within {@code BATON_STARTUP_TIMEOUT_MS}, in words that point at the
 * cause. Two different situations: Consul never answered (it is down or misaddressed), or it answered some
 * sources and not others — it is slow, or it closes this address's connections beyond its
 * {@code limits.http_max_conns_per_client} (200 by default), a limit every client at the gateway's address shares;
 * the gateway itself holds about ten whatever the number of apps (docs/ARCHITECTURE.md, Gateway).
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
        + " raise BATON_STARTUP_TIMEOUT_MS if Consul is only slow; a Consul agent also closes a client address's"
        + " connections beyond limits.http_max_conns_per_client (200 by default, shared by every client at this"
        + " address; the gateway holds about ten), so check what else connects from here";
  }
}
