package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Gate;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.Strategy;
import dev.baton.registry.hooks.Receiver;
import dev.baton.registry.hooks.WebhookClient;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controller calling real HTTP gates (a Vert.x server in the test) while it runs a release against a fake world. */
class GatedReleaseControllerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();
  private final Receiver receiver = new Receiver();

  @AfterEach
  void close() throws Exception {
    receiver.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ReleaseController controller(FakeWorld world) {
    ReleaseController c = new ReleaseController(vertx, world, new ReleaseController.Settings(20, 60_000, 3, "test-registry"),
        System::currentTimeMillis, GateCaller.http(new WebhookClient(vertx)));
    c.start();
    return c;
  }

  private static void submit(FakeWorld world, String id, String strategy, List<Gate> gates) {
    world.put(new Release(id, "shop", "1.0.0", "2.0.0", Strategy.fromJson(new JsonObject(strategy)),
        ReleasePhase.PENDING, 0, "created", List.of(new HistoryEntry("t", ReleasePhase.PENDING, "created")),
        new JsonObject(), gates));
  }

  private Release awaitPhase(FakeWorld world, String id, ReleasePhase phase) {
    return Poll.value(DEADLINE, () -> world.release(id).phase() == phase ? world.release(id) : null, id + " " + phase);
  }

  @Test
  void aStepGateSaying503HoldsTheCanaryUntilItSays200() {
    receiver.answering(503);
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    submit(world, "shop.g1", "{\"type\":\"canary\",\"steps\":[{\"weight\":50,\"pauseSeconds\":0},{\"weight\":100}]}",
        List.of(new Gate(Gate.On.STEP, receiver.url("/step"), 30, Gate.OnTimeout.ABORT),
            new Gate(Gate.On.POST_ROLLOUT, receiver.url("/post"), 30, Gate.OnTimeout.ABORT)));
    controller(world).poke("shop.g1");
    Release done = awaitPhase(world, "shop.g1", ReleasePhase.SUCCEEDED);

    assertThat(world.routeHistory).as("no weight before the gate said yes").isNotEmpty();
    List<Receiver.Got> step = receiver.to("/step");
    assertThat(step).hasSize(3).as("503 then 200 before 50%, then 200 before 100%");
    assertThat(step.get(0).json().getString("point")).isEqualTo("before 50% to 2.0.0");
    assertThat(step.get(1).json().getInteger("attempt")).isEqualTo(2);
    assertThat(step.get(2).json().getString("point")).isEqualTo("before 100% to 2.0.0");
    assertThat(step).allSatisfy(g -> assertThat(g.headers()).doesNotContainKey("authorization")
        .containsEntry("x-baton-gate", "step").containsEntry("x-baton-release", "shop.g1"));
    assertThat(receiver.to("/post")).hasSize(1);
    List<String> history = done.history().stream().map(HistoryEntry::message).toList();
    assertThat(history).anySatisfy(m -> assertThat(m).startsWith("step gate " + receiver.url("/step")
        + " (before 50% to 2.0.0), attempt 1: 503 in ").endsWith("'not yet (503)'; not passed, waiting"));
    assertThat(history).anySatisfy(m -> assertThat(m).contains("(before 50% to 2.0.0), attempt 2: 200 in ")
        .endsWith("'ok'; passed"));
    assertThat(done.progress().getJsonArray(GateProgress.CALLS)).hasSize(4);
    assertThat(world.events).filteredOn(e -> e.kind().equals("release.gate")).hasSize(4);
    // The first route write (50%) came after the 200.
    int firstPass = history.indexOf(history.stream().filter(m -> m.contains("attempt 2: 200")).findFirst().orElseThrow());
    int firstRoute = history.indexOf(history.stream().filter(m -> m.contains("routing 50%")).findFirst().orElseThrow());
    assertThat(firstRoute).isGreaterThan(firstPass);
  }

  @Test
  void aPreRolloutGateThatNeverAnswersAbortsBeforeAnythingStartsAndTheRollbackGateHearsOfIt() {
    receiver.answering(500, 500, 500, 500, 500, 500);
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    submit(world, "shop.g2", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}",
        List.of(new Gate(Gate.On.PRE_ROLLOUT, receiver.url("/pre"), 2, Gate.OnTimeout.ABORT),
            new Gate(Gate.On.ROLLBACK, "http://127.0.0.1:9/closed-port", 2, Gate.OnTimeout.ABORT)));
    controller(world).poke("shop.g2");
    Release aborted = awaitPhase(world, "shop.g2", ReleasePhase.ABORTED);
    assertThat(world.starts.get()).as("nothing started").isZero();
    assertThat(aborted.message()).contains("pre-rollout gate").contains("did not answer 2xx within 2s");
    Poll.until(DEADLINE, () -> world.release("shop.g2").history().stream()
        .anyMatch(h -> h.message().startsWith("rollback gate http://127.0.0.1:9/closed-port")), "the rollback gate's answer");
    assertThat(world.release("shop.g2").history().stream().map(HistoryEntry::message)
        .filter(m -> m.startsWith("rollback gate")).findFirst().orElseThrow()).contains("no answer after");
  }
}
