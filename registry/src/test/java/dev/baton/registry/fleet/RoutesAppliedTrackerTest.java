package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.RoutesApplied;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Route acknowledgements on a real (local) event bus: who is waited for, and who stops being waited for. */
class RoutesAppliedTrackerTest {

  private static final long LONG_TIMEOUT_MS = 60_000;

  private Vertx vertx;
  private Context context;
  private RoutesAppliedTracker tracker;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    tracker = onContext(() -> {
      RoutesAppliedTracker t = new RoutesAppliedTracker(vertx);
      return t.ready().map(v -> t);
    });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void completesWhenEveryGatewayAcknowledged() throws Exception {
    CompletableFuture<String> note = await(Set.of("g1", "g2"), () -> Future.succeededFuture(Set.of("g1", "g2")));
    ack("g1", 7);
    assertThat(note).isNotDone();
    ack("g2", 7);
    assertThat(note.get(10, TimeUnit.SECONDS)).as("no note when all acknowledged").isNull();
  }

  @Test
  void aGatewayThatStopsPassingIsNoLongerWaitedFor() throws Exception {
    AtomicReference<Set<String>> live = new AtomicReference<>(Set.of("g1", "g2"));
    CompletableFuture<String> note = await(Set.of("g1", "g2"), () -> Future.succeededFuture(live.get()));
    ack("g1", 7);
    live.set(Set.of("g1"));
    // completes long before the 60 s acknowledgement timeout, naming the gateway it dropped
    assertThat(note.get(20, TimeUnit.SECONDS)).contains("[g2]").contains("stopped passing")
        .doesNotContain("within");
  }

  @Test
  void aLiveGatewayThatDoesNotAcknowledgeIsWaitedForUntilTheTimeout() throws Exception {
    CompletableFuture<String> note = await(Set.of("g1", "g2"), () -> Future.succeededFuture(Set.of("g1", "g2")),
        1_500);
    ack("g1", 7);
    assertThat(note.get(20, TimeUnit.SECONDS)).contains("[g2]").contains("did not acknowledge");
  }

  @Test
  void aGatewayThatJoinsMeanwhileIsNotWaitedFor() throws Exception {
    CompletableFuture<String> note = await(Set.of("g1"), () -> Future.succeededFuture(Set.of("g1", "g3")));
    ack("g1", 7);
    assertThat(note.get(10, TimeUnit.SECONDS)).isNull();
  }

  private CompletableFuture<String> await(Set<String> gateways, Supplier<Future<Set<String>>> live)
      throws Exception {
    return await(gateways, live, LONG_TIMEOUT_MS);
  }

  private CompletableFuture<String> await(Set<String> gateways, Supplier<Future<Set<String>>> live, long timeoutMs)
      throws Exception {
    return onContext(() -> Future.succeededFuture(tracker.await("shop", 7, gateways, live, timeoutMs, 0)))
        .toCompletionStage().toCompletableFuture();
  }

  private void ack(String gateway, long revision) {
    vertx.eventBus().publish(Addresses.ROUTES_APPLIED, new RoutesApplied(gateway, "shop", revision).toJson());
  }

  /** Runs {@code body} on the tracker's context (its state is confined there) and waits for its result. */
  private <T> T onContext(java.util.concurrent.Callable<Future<T>> body) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        body.call().onComplete(ar -> {
          if (ar.succeeded()) {
            out.complete(ar.result());
          } else {
            out.completeExceptionally(ar.cause());
          }
        });
      } catch (Exception e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }
}
