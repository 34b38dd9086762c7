package dev.baton.agent.drain;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The acknowledged drain of DESIGN.md §4. Called after the instance left Consul: it asks Consul which gateways
 * are live, publishes a {@link DrainRequest} on {@code baton.gateway.drain} with a reply address of its own,
 * and completes when every one of those gateways sent a {@link DrainAck}, or when the drain timeout passes
 * (reported in the outcome, never silent). With no live gateway it waits one propagation interval, the time
 * a gateway that is just starting needs to see the deregistration.
 */
public final class DrainCoordinator {

  /** How often the live gateways are asked again while waiting for acks. */
  static final long RECHECK_MS = 1_000;

  private final Vertx vertx;
  private final Supplier<Future<Set<String>>> liveGateways;
  private final String agentId;
  private final long timeoutMs;
  private final long propagationMs;

  public DrainCoordinator(Vertx vertx, Supplier<Future<Set<String>>> liveGateways, String agentId, long timeoutMs,
                          long propagationMs) {
    this.vertx = vertx;
    this.liveGateways = liveGateways;
    this.agentId = agentId;
    this.timeoutMs = timeoutMs;
    this.propagationMs = propagationMs;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  /** Drains one instance that is no longer registered; never fails, a timeout is part of the outcome. */
  public Future<DrainOutcome> drain(String instanceId, String app, String version, String host, int port) {
    return liveGateways.get().compose(gateways -> {
      if (gateways.isEmpty()) {
        return vertx.timer(propagationMs).map(v -> DrainOutcome.noGateways());
      }
      String replyTo = Addresses.agent(agentId) + ".drain-ack." + UUID.randomUUID();
      DrainRequest request = new DrainRequest(instanceId, app, version, host, port, replyTo, timeoutMs);
      return collect(gateways, request);
    });
  }

  private Future<DrainOutcome> collect(Set<String> gateways, DrainRequest request) {
    Promise<DrainOutcome> done = Promise.promise();
    Set<String> acked = new HashSet<>();
    Set<String> unfinished = new HashSet<>();
    Set<String> departed = new HashSet<>();
    Runnable check = () -> {
      Set<String> expected = new HashSet<>(gateways);
      expected.removeAll(departed);
      if (acked.containsAll(expected)) {
        done.tryComplete(new DrainOutcome(gateways, acked, unfinished, departed, false));
      }
    };
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(request.replyTo(), msg -> {
      DrainAck ack = DrainAck.fromJson(msg.body());
      if (!request.instanceId().equals(ack.instanceId()) || ack.gateway() == null) {
        return;
      }
      acked.add(ack.gateway());
      if (!ack.drained()) {
        unfinished.add(ack.gateway());
      }
      check.run();
    });
    long timer = vertx.setTimer(timeoutMs,
        t -> done.tryComplete(new DrainOutcome(gateways, acked, unfinished, departed, true)));
    // A gateway that dies mid-drain stops passing in Consul; stop waiting for it instead of for the timeout.
    long recheck = vertx.setPeriodic(RECHECK_MS, t -> liveGateways.get().onSuccess(live -> {
      gateways.stream().filter(g -> !live.contains(g) && !acked.contains(g)).forEach(departed::add);
      check.run();
    }));
    // Publish only once the reply consumer is known cluster-wide, or a fast gateway's ack could be lost.
    consumer.completion()
        .onSuccess(v -> vertx.eventBus().publish(Addresses.GATEWAY_DRAIN, request.toJson()))
        .onFailure(e -> done.tryComplete(new DrainOutcome(gateways, acked, unfinished, departed, true)));
    return done.future().eventually(() -> {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(recheck);
      return consumer.unregister();
    });
  }
}
