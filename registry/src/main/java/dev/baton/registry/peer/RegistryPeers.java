package dev.baton.registry.peer;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import io.vertx.core.Future;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceEntry;
import io.vertx.ext.consul.ServiceEntryList;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other live registries: {@code baton-registry} services whose checks all pass, read from Consul when asked
 * (uploads and misses are rare, a stale list would send a fetch to a dead peer). A peer is vouched for twice
 * before the operator token goes to it (SECURITY.md, Registry): by its registration — only the registry's Consul
 * ACL policy may write {@code service "baton-registry"} (docs/consul-acl/baton-registry.hcl) — and by the
 * operator's own configuration: the host of its {@code Meta.http} URL must be one of the hosts of
 * {@code BATON_CLUSTER_MEMBERS}, the list of baton hosts every member is configured with. So a registration forged
 * in a Consul without ACLs still cannot draw the token to a host outside the fleet.
 */
public final class RegistryPeers {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryPeers.class);

  private final ConsulClient consul;
  private final ConsulAccess access;
  private final String self;
  private final Set<String> fleetHosts;
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  /**
   * {@code consul} must have been made from {@code access}; {@code self} is this registry's id, never a peer;
   * {@code clusterMembers} is {@code BATON_CLUSTER_MEMBERS} ({@code host:port} entries).
   */
  public RegistryPeers(ConsulClient consul, ConsulAccess access, String self, List<String> clusterMembers) {
    this.consul = consul;
    this.access = access;
    this.self = self;
    this.fleetHosts = hostsOf(clusterMembers);
  }

  /** The live peers, sorted by id. */
  public Future<List<Peer>> live() {
    return consul.healthServiceNodes(ServiceNames.REGISTRY, true).map(list -> {
      List<Peer> all = peers(list, self);
      List<Peer> vouched = all.stream().filter(p -> inFleet(p, fleetHosts)).toList();
      all.stream().filter(p -> !vouched.contains(p) && refused.add(p.url())).forEach(p -> LOG.warn(
          "registry {} registered in Consul at {}, a host not in BATON_CLUSTER_MEMBERS: not a peer, no token goes"
              + " there", p.id(), p.url()));
      return vouched;
    }).recover(e -> Future.failedFuture(access.explain(e)));
  }

  /** Every registered registry but {@code self} whose {@code Meta.http} is a usable base URL, once per id. */
  static List<Peer> peers(ServiceEntryList list, String self) {
    if (list == null || list.getList() == null) {
      return List.of();
    }
    return list.getList().stream().map(RegistryPeers::peer).filter(Objects::nonNull)
        .filter(p -> !p.id().equals(self)).distinct().sorted(Comparator.comparing(Peer::id)).toList();
  }

  /** The hosts of {@code host:port} member entries ({@code [v6]:port} too), lowercased. */
  static Set<String> hostsOf(List<String> members) {
    Set<String> hosts = new HashSet<>();
    for (String m : members) {
      String h = m.trim();
      if (h.startsWith("[") && h.contains("]")) {
        h = h.substring(1, h.indexOf(']'));
      } else if (h.indexOf(':') == h.lastIndexOf(':') && h.contains(":")) {
        h = h.substring(0, h.indexOf(':'));
      }
      if (!h.isEmpty()) {
        hosts.add(h.toLowerCase(Locale.ROOT));
      }
    }
    return hosts;
  }

  /** The peer's URL names one of the fleet's hosts, as the operator configured them. */
  static boolean inFleet(Peer p, Set<String> fleetHosts) {
    String host = URI.create(p.url()).getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return fleetHosts.contains(host);
  }

  private static Peer peer(ServiceEntry e) {
    if (e.getService() == null || e.getService().getId() == null) {
      return null;
    }
    Map<String, String> meta = e.getService().getMeta() == null ? Map.of() : e.getService().getMeta();
    String url = meta.get(ServiceNames.META_HTTP);
    return isBaseUrl(url) ? new Peer(e.getService().getId(), url.replaceAll("/+$", "")) : null;
  }

  /** An http(s) URL with a host, no user info, query or fragment: a registry's API base. */
  static boolean isBaseUrl(String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    try {
      URI u = URI.create(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawUserInfo() == null
          && u.getRawQuery() == null && u.getRawFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
