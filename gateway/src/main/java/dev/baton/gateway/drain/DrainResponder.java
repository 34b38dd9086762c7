package dev.baton.gateway.drain;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code baton.gateway.drain}. For each request it marks the matching instances (by ID, or by
 * host and port) as draining at once, so no new request is routed to them, then checks every
 * {@value #POLL_MS} ms until the instance is out of the route table (its deregistration arrived) and no
 * request to it is in flight, and sends {@code DrainAck(drained=true)} to {@code replyTo}. At
 * {@code timeoutMs} it sends {@code drained=false} with the requests still in flight, never nothing.
 */
public final class DrainResponder {

  static final long POLL_MS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(DrainResponder.class);

  private final Vertx vertx;
  private final String gatewayId;
  private final UpstreamRegistry upstreams;
  private final RouteSource routes;
  private MessageConsumer<JsonObject> consumer;

  public DrainResponder(Vertx vertx, String gatewayId, UpstreamRegistry upstreams, RouteSource routes) {
    this.vertx = vertx;
    this.gatewayId = gatewayId;
    this.upstreams = upstreams;
    this.routes = routes;
  }

  /** Registers the consumer; completes once the registration reached the cluster. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.GATEWAY_DRAIN, msg -> {
      DrainRequest request;
      try {
        request = DrainRequest.fromJson(msg.body());
      } catch (RuntimeException e) {
        LOG.warn("ignoring a malformed drain request: {}", msg.body());
        return;
      }
      drain(request);
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void drain(DrainRequest r) {
    List<Upstream> matched = upstreams.matching(r.instanceId(), r.host(), r.port());
    matched.forEach(Upstream::markDraining);
    LOG.info("drain {} ({}:{}): {} instance state(s) marked, timeout {} ms", r.instanceId(), r.host(), r.port(),
        matched.size(), r.timeoutMs());
    long deadline = System.currentTimeMillis() + Math.max(0, r.timeoutMs());
    check(r, matched, deadline);
  }

  private void check(DrainRequest r, List<Upstream> matched, long deadline) {
    boolean inTable = inTable(r);
    int inFlight = matched.stream().mapToInt(Upstream::inFlight).sum();
    if (!inTable && inFlight == 0) {
      ack(r, new DrainAck(gatewayId, r.instanceId(), true, 0, "out of the route table, no request in flight"));
    } else if (System.currentTimeMillis() >= deadline) {
      String why = (inTable ? "still in the route table (not deregistered from Consul yet?)" : "out of the route table")
          + ", " + inFlight + " request(s) in flight after " + r.timeoutMs() + " ms";
      ack(r, new DrainAck(gatewayId, r.instanceId(), false, inFlight, why));
    } else {
      vertx.setTimer(POLL_MS, t -> check(r, matched, deadline));
    }
  }

  private boolean inTable(DrainRequest r) {
    for (AppRoute app : routes.table().apps()) {
      for (VersionRoute v : app.versions().values()) {
        for (Upstream u : v.upstreams()) {
          boolean byId = r.instanceId() != null && r.instanceId().equals(u.info().id());
          boolean byAddress = r.host() != null && r.port() > 0 && r.host().equals(u.info().host())
              && r.port() == u.info().port();
          if (byId || byAddress) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void ack(DrainRequest r, DrainAck ack) {
    LOG.info("drain {}: drained={} ({})", r.instanceId(), ack.drained(), ack.message());
    if (r.replyTo() != null && !r.replyTo().isBlank()) {
      vertx.eventBus().send(r.replyTo(), ack.toJson());
    }
  }
}
