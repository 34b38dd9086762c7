package dev.baton.registry.fleet;

import dev.baton.common.consul.ServiceNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.consul.ConsulServiceImporter;
import java.util.Comparator;
import java.util.List;

/**
 * Live agents and gateways, through vertx-service-discovery with its Consul bridge: services named
 * {@code baton-agent} / {@code baton-gateway} whose checks all pass, rescanned every {@code scanMs}.
 * The discovery backend is this process's own (local) map: each registry imports for itself.
 */
public final class FleetDiscovery {

  /** A live baton service: its id (the Consul service ID, or meta {@code agent}) and its Consul meta. */
  public record Member(String id, String address, int port, JsonObject meta) {
  }

  private final ServiceDiscovery discovery;

  private FleetDiscovery(ServiceDiscovery discovery) {
    this.discovery = discovery;
  }

  public static Future<FleetDiscovery> start(Vertx vertx, String consulHost, int consulPort, long scanMs) {
    // Keep imported records in this JVM: in a clustered Vert.x the default backend is a cluster-wide map.
    System.setProperty("vertx-service-discovery-backend-local", "true");
    ServiceDiscovery discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions()
        .setAnnounceAddress("baton.registry.discovery.announce." + System.identityHashCode(vertx))
        .setUsageAddress("baton.registry.discovery.usage." + System.identityHashCode(vertx)));
    JsonObject config = new JsonObject().put("host", consulHost).put("port", consulPort).put("scan-period", scanMs)
        .put("up_threshold", "passing");
    return discovery.registerServiceImporter(new ConsulServiceImporter(), config)
        .recover(e -> Future.succeededFuture()) // Consul empty or briefly down: the periodic scan catches up
        .map(v -> new FleetDiscovery(discovery));
  }

  public Future<List<Member>> agents() {
    return members(ServiceNames.AGENT);
  }

  public Future<List<Member>> gateways() {
    return members(ServiceNames.GATEWAY);
  }

  private Future<List<Member>> members(String name) {
    return discovery.getRecords(r -> name.equals(r.getName())).map(records -> records.stream()
        .map(FleetDiscovery::member).distinct().sorted(Comparator.comparing(Member::id)).toList());
  }

  private static Member member(Record r) {
    JsonObject md = r.getMetadata() == null ? new JsonObject() : r.getMetadata();
    JsonObject meta = md.getJsonObject("ServiceMeta", new JsonObject());
    String id = meta.getString(ServiceNames.META_AGENT, md.getString("ServiceID"));
    JsonObject loc = r.getLocation() == null ? new JsonObject() : r.getLocation();
    return new Member(id, loc.getString("host"), loc.getInteger("port", 0), meta);
  }

  public void close() {
    discovery.close();
  }
}
