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

/**
 * The other live registries: {@code baton-registry} services whose checks all pass, read from Consul when asked
 * (uploads and misses are rare, a stale list would send a fetch to a dead peer). A peer is vouched for by its
 * registration: only the registry's Consul ACL policy may write {@code service "baton-registry"}
 * (docs/consul-acl/baton-registry.hcl), so the URL in its {@code Meta.http} is where the registry token may go
 * (SECURITY.md, Registry).
 */
public final class RegistryPeers {

  private final ConsulClient consul;
  private final ConsulAccess access;
  private final String self;

  /** {@code consul} must have been made from {@code access}; {@code self} is this registry's id, never a peer. */
  public RegistryPeers(ConsulClient consul, ConsulAccess access, String self) {
    this.consul = consul;
    this.access = access;
    this.self = self;
  }

  /** The live peers, sorted by id. */
  public Future<List<Peer>> live() {
    return consul.healthServiceNodes(ServiceNames.REGISTRY, true).map(list -> peers(list, self))
        .recover(e -> Future.failedFuture(access.explain(e)));
  }

  /** Every registered registry but {@code self} whose {@code Meta.http} is a usable base URL, once per id. */
  static List<Peer> peers(ServiceEntryList list, String self) {
    if (list == null || list.getList() == null) {
      return List.of();
    }
    return list.getList().stream().map(RegistryPeers::peer).filter(Objects::nonNull)
        .filter(p -> !p.id().equals(self)).distinct().sorted(Comparator.comparing(Peer::id)).toList();
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
