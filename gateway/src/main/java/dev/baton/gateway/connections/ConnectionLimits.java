package dev.baton.gateway.connections;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.gateway.proxy.TrustedProxies;
import java.net.InetAddress;
import java.util.List;

/**
 * The connection caps of the traffic ports (gateway/README.md, "Connection limits"): at most
 * {@code maxConnections} client connections in all ({@code BATON_MAX_CONNECTIONS}, below the open-file limit),
 * and at most {@code maxPerClient} from one address ({@code BATON_MAX_CLIENT_CONNECTIONS}, 0: no cap) unless
 * the address is exempt ({@code BATON_CLIENT_LIMIT_EXEMPT} or {@code BATON_TRUSTED_PROXIES}).
 */
public record ConnectionLimits(int maxConnections, int maxPerClient, TrustedProxies exempt, TrustedProxies trusted,
                               DescriptorLimits descriptors) {

  /**
   * Connections one address may hold: a NAT or an office behind one address gets room for ~150 browsers with
   * their six connections each, while one machine cannot take more than a small share of the global limit.
   * The cap bounds one address's share of {@link #maxConnections}; it does not by itself keep slow request bodies
   * from holding instance connections (gateway/README.md, "Connection limits").
   */
  public static final int DEFAULT_PER_CLIENT = 1000;

  /** The host itself (a local front, health checks): a remote client cannot use these addresses. */
  public static final String DEFAULT_EXEMPT = "127.0.0.1,::1";

  public static ConnectionLimits from(BatonConfig c, TrustedProxies trusted, DescriptorLimits fds) {
    int auto = fds.defaultMaxConnections();
    int max = (int) c.intSetting("BATON_MAX_CONNECTIONS", auto, 1, Integer.MAX_VALUE);
    if (fds.known() && max >= fds.soft()) {
      throw new ConfigException(List.of("BATON_MAX_CONNECTIONS: " + max + " is not below this process's open-file "
          + "limit (" + fds.soft() + "): connections beyond the limit would fail to be accepted instead of being "
          + "refused, and the admin port with them; leave it unset (" + auto + " here) or raise LimitNOFILE= "
          + "(systemd) / ulimit -n"));
    }
    int perClient = (int) c.intSetting("BATON_MAX_CLIENT_CONNECTIONS", DEFAULT_PER_CLIENT, 0, Integer.MAX_VALUE);
    TrustedProxies exempt;
    try {
      exempt = TrustedProxies.parse(c.stringSetting("BATON_CLIENT_LIMIT_EXEMPT", DEFAULT_EXEMPT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("BATON_CLIENT_LIMIT_EXEMPT: " + e.getMessage()));
    }
    return new ConnectionLimits(max, perClient, exempt, trusted, fds);
  }

  /** Whether connections from {@code peer} count against the per-client cap. */
  public boolean capped(InetAddress peer) {
    return maxPerClient > 0 && peer != null && !exempt.trusts(peer) && !trusted.trusts(peer);
  }

  @Override
  public String toString() {
    return "at most " + maxConnections + " client connections (BATON_MAX_CONNECTIONS), "
        + (maxPerClient == 0 ? "no cap per client address" : maxPerClient + " per client address")
        + " (BATON_MAX_CLIENT_CONNECTIONS); " + descriptors;
  }
}
