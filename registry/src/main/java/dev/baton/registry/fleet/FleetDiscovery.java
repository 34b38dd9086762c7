package dev.baton.registry.fleet;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulRefusedException;
import dev.baton.common.consul.ServiceNames;
import dev.baton.registry.reconcile.HostLiveness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import io.vertx.ext.consul.ServiceEntryList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live agents and gateways: the instances of {@code baton-agent} / {@code baton-gateway} whose checks all pass
 * (Consul's {@code ?passing}), rescanned every {@code scanMs} through the registry's own Consul client, so with
 * its ACL token and HTTPS (docs/ARCHITECTURE.md, Registry). Between scans the last view stands; a scan that fails
 * keeps it and is logged once per outage. Each scan of agents reads every {@code baton-agent} Consul knows, passing
 * or not, and feeds {@link HostLiveness}, which judges hosts live, suspect or lost. Not vertx-service-discovery's
 * Consul bridge: that makes its own client with no way to pass TLS options, and reads the health of every service
 * in the catalog to find two.
 */
public final class FleetDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(FleetDiscovery.class);

  /** A live baton service: its id (the Consul service ID, or meta {@code agent}) and its Consul meta. */
  public record Member(String id, String address, int port, JsonObject meta) {
  }

  private final Vertx vertx;
  private final ConsulClient consul;
  private final ConsulAccess access;
  private final HostLiveness liveness;
  private volatile List<Member> agents = List.of();
  private volatile List<Member> gateways = List.of();
  private volatile Map<String, String> agentUrls = Map.of();
  private long timer = -1;
  private boolean failing;
  private boolean scanning;
  private boolean closed;

  private FleetDiscovery(Vertx vertx, ConsulClient consul, ConsulAccess access, HostLiveness liveness) {
    this.vertx = vertx;
    this.consul = consul;
    this.access = access;
    this.liveness = liveness;
  }

  /**
   * Scans once and then every {@code scanMs}. Fails only when Consul refuses the registry (ACL token, HTTPS):
   * an empty or briefly unreachable Consul is caught up by the next scan.
   *
   * @param consul a client made from {@code access}
   * @param hostLostMs how long an agent may be not live before its host is lost ({@code BATON_HOST_LOST_MS})
   */
  public static Future<FleetDiscovery> start(Vertx vertx, ConsulClient consul, ConsulAccess access, long scanMs,
                                             long hostLostMs) {
    FleetDiscovery fleet = new FleetDiscovery(vertx, consul, access,
        new HostLiveness(hostLostMs, System.currentTimeMillis()));
    return fleet.scan().transform(ar -> {
      if (ar.failed() && ar.cause() instanceof ConsulRefusedException) {
        return Future.failedFuture(ar.cause());
      }
      fleet.timer = vertx.setPeriodic(scanMs, id -> {
        if (!fleet.scanning) {
          fleet.scan();
        }
      });
      return Future.succeededFuture(fleet);
    });
  }

  public Future<List<Member>> agents() {
    return Future.succeededFuture(agents);
  }

  public Future<List<Member>> gateways() {
    return Future.succeededFuture(gateways);
  }

  /**
   * Every agent Consul lists, passing or not, by agent id: the API address it registered (meta {@code http}), for
   * clients that reach an agent through the registry's app view (docs/registry-api.md, "App view").
   */
  public Map<String, String> agentUrls() {
    return agentUrls;
  }

  /** The hosts' liveness, as this registry's scans and LIST answers saw it. */
  public HostLiveness liveness() {
    return liveness;
  }

  private Future<Void> scan() {
    scanning = true;
    Future<ServiceEntryList> a = consul.healthServiceNodes(ServiceNames.AGENT, false)
        .recover(e -> Future.failedFuture(access.explain(e)));
    Future<List<Member>> g = passing(ServiceNames.GATEWAY);
    return Future.all(a, g).<Void>map(v -> {
      Map<String, Boolean> all = new TreeMap<>();
      List<ServiceEntry> entries = a.result() == null || a.result().getList() == null ? List.of() : a.result().getList();
      entries.forEach(e -> all.merge(member(e).id(), e.aggregatedStatus() == CheckStatus.PASSING, Boolean::logicalOr));
      agents = entries.stream().filter(e -> e.aggregatedStatus() == CheckStatus.PASSING).map(FleetDiscovery::member)
          .distinct().sorted(Comparator.comparing(Member::id)).toList();
      liveness.scanned(all, System.currentTimeMillis());
      agentUrls = urls(entries);
      gateways = g.result();
      if (failing) {
        LOG.info("fleet discovery: Consul answers again");
      }
      failing = false;
      return null;
    }).onFailure(e -> {
      if (!failing && !closed) {
        LOG.warn("fleet discovery: cannot list agents and gateways, keeping the last view: {}", e.getMessage());
      }
      failing = true;
    }).onComplete(ar -> scanning = false);
  }

  private Future<List<Member>> passing(String service) {
    return consul.healthServiceNodes(service, true).map(FleetDiscovery::members)
        .recover(e -> Future.failedFuture(access.explain(e)));
  }

  /** Agent id to its http(s) API URL; a passing registration's wins over another of the same agent. */
  static Map<String, String> urls(List<ServiceEntry> entries) {
    Map<String, String> urls = new TreeMap<>();
    entries.stream().sorted(Comparator.comparing(e -> e.aggregatedStatus() == CheckStatus.PASSING ? 1 : 0))
        .forEach(e -> {
          Member m = member(e);
          String url = m.meta().getString(ServiceNames.META_HTTP);
          if (url != null && (url.startsWith("http://") || url.startsWith("https://"))) {
            urls.put(m.id(), url);
          }
        });
    return Map.copyOf(urls);
  }

  static List<Member> members(ServiceEntryList list) {
    if (list == null || list.getList() == null) {
      return List.of();
    }
    return list.getList().stream().map(FleetDiscovery::member).distinct()
        .sorted(Comparator.comparing(Member::id)).toList();
  }

  private static Member member(ServiceEntry e) {
    Service s = e.getService();
    Map<String, String> raw = s.getMeta() == null ? Map.of() : s.getMeta();
    JsonObject meta = new JsonObject();
    raw.forEach(meta::put);
    String address = s.getAddress();
    if ((address == null || address.isEmpty()) && e.getNode() != null) {
      address = e.getNode().getAddress();
    }
    return new Member(raw.getOrDefault(ServiceNames.META_AGENT, s.getId()), address, s.getPort(), meta);
  }

  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
