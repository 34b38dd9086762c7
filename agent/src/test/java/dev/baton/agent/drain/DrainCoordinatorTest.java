package dev.baton.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DrainCoordinatorTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<DrainRequest> published = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Fake gateways: each named one acks every drain request it sees. */
  private void gateways(String... acking) throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_DRAIN, msg -> {
      DrainRequest req = DrainRequest.fromJson(msg.body());
      published.add(req);
      for (String g : acking) {
        vertx.eventBus().send(req.replyTo(), new DrainAck(g, req.instanceId(), true, 0, "ok").toJson());
      }
    }).completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DrainOutcome drain(DrainCoordinator coordinator) throws Exception {
    return coordinator.drain("shop-2.0.0-a-20001", "shop", "2.0.0", "127.0.0.1", 20001)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void completesOnceEveryLiveGatewayAcked() throws Exception {
    gateways("g1", "g2");
    DrainOutcome outcome = drain(new DrainCoordinator(vertx, () -> Future.succeededFuture(Set.of("g1", "g2")),
        "a", 10_000, 1));

    assertThat(outcome.timedOut()).isFalse();
    assertThat(outcome.acked()).containsExactlyInAnyOrder("g1", "g2");
    assertThat(published).singleElement().satisfies(r -> {
      assertThat(r.instanceId()).isEqualTo("shop-2.0.0-a-20001");
      assertThat(r.replyTo()).startsWith(Addresses.agent("a"));
      assertThat(r.timeoutMs()).isEqualTo(10_000);
    });
  }

  @Test
  void aSilentGatewayEndsTheDrainAtTheTimeoutAndIsNamed() throws Exception {
    gateways("g1");
    DrainOutcome outcome = drain(new DrainCoordinator(vertx, () -> Future.succeededFuture(Set.of("g1", "g2")),
        "a", 300, 1));

    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.missing()).containsExactly("g2");
    assertThat(outcome.describe(300)).contains("timed out after 300 ms").contains("g2");
  }

  @Test
  void aGatewayThatStopsPassingIsNoLongerWaitedFor() throws Exception {
    gateways("g1");
    AtomicReference<Set<String>> live = new AtomicReference<>(Set.of("g1", "g2"));
    DrainCoordinator coordinator = new DrainCoordinator(vertx, () -> Future.succeededFuture(live.get()), "a",
        60_000, 1);
    vertx.setTimer(200, t -> live.set(Set.of("g1")));

    DrainOutcome outcome = drain(coordinator);

    assertThat(outcome.timedOut()).isFalse();
    assertThat(outcome.departed()).containsExactly("g2");
  }

  @Test
  void withNoLiveGatewayItWaitsOnePropagationIntervalAndPublishesNothing() throws Exception {
    gateways();
    DrainOutcome outcome = drain(new DrainCoordinator(vertx, () -> Future.succeededFuture(Set.of()), "a", 10_000,
        200));

    assertThat(outcome.gateways()).isEmpty();
    assertThat(outcome.clean()).isTrue();
    assertThat(published).isEmpty();
  }
}
