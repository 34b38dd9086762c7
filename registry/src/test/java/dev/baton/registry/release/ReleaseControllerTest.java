package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Limits;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.Strategy;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controller against a counting fake of the world: every strategy to its end, aborts, deadline, resume. */
class ReleaseControllerTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ReleaseController controller(FakeWorld world, long deadlineMs) {
    ReleaseController c = new ReleaseController(vertx, world,
        new ReleaseController.Settings(20, deadlineMs, 3, "test-registry"), System::currentTimeMillis);
    c.start();
    return c;
  }

  private static String submit(FakeWorld world, String from, String to, String strategy) {
    String id = "shop.t" + IDS.incrementAndGet();
    world.put(new Release(id, "shop", from, to, Strategy.fromJson(new JsonObject(strategy)), ReleasePhase.PENDING, 0,
        "created", List.of(new HistoryEntry("t", ReleasePhase.PENDING, "created")), new JsonObject()));
    return id;
  }

  private static Release awaitPhase(FakeWorld world, String id, ReleasePhase phase) {
    return Poll.value(DEADLINE, () -> {
      Release r = world.release(id);
      return r.phase() == phase ? r : null;
    }, id + " to reach " + phase);
  }

  @Test
  void rollingSurgeReplacesEveryInstanceWithoutLosingCapacityOrRoutingToAnEmptyVersion() {
    FakeWorld world = new FakeWorld(Fixtures.spec(3), List.of("a", "b", "c")).running("1.0.0", 3);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}");
    controller(world, 60_000).poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.starts.get()).isEqualTo(3);
    assertThat(world.stops.get()).isEqualTo(3);
    assertThat(world.violations).isEmpty();
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("2.0.0", 3));
    assertThat(RouteSplits.dominant(world.route())).isEqualTo("2.0.0");
    assertThat(world.events).extracting(e -> e.kind()).contains("release.progressing", "release.succeeded",
        "release.route", "release.instance.started", "release.instance.stopped");
  }

  @Test
  void everyStartCarriesTheAppsRunAsAndLimits() {
    AppSpec spec = AppSpec.fromJson("shop", new JsonObject().put("instances", 2).put("runAs", "shop")
        .put("limits", new JsonObject().put("memoryMb", 256).put("openFiles", 1024)));
    FakeWorld world = new FakeWorld(spec, List.of("a", "b")).running("1.0.0", 2);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}");
    controller(world, 60_000).poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.startRequests).hasSize(2).allSatisfy(r -> {
      assertThat(r.runAs()).isEqualTo("shop");
      assertThat(r.limits()).isEqualTo(new Limits(256, 1024));
    });
  }

  @Test
  void rollingInPlaceReusesEachAgentAndPortAndKeepsDesiredMinusOneServing() {
    FakeWorld world = new FakeWorld(Fixtures.spec(3), List.of("a", "b", "c")).running("1.0.0", 3).allowUnavailable(1);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}");
    controller(world, 60_000).poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.starts.get()).isEqualTo(3);
    assertThat(world.stops.get()).isEqualTo(3);
    assertThat(world.startLog).containsExactlyInAnyOrder("2.0.0@a", "2.0.0@b", "2.0.0@c");
    assertThat(world.violations).isEmpty();
  }

  @Test
  void inPlaceStartsOnAnyPortOfTheSameAgentWhenTheOldPortIsNotFreeYet() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2).allowUnavailable(1);
    world.portsLinger = true;
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}");
    controller(world, 60_000).poke(id);
    Release r = awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.startLog).containsExactlyInAnyOrder("2.0.0@a", "2.0.0@a", "2.0.0@b", "2.0.0@b");
    assertThat(r.history()).extracting(HistoryEntry::message).anyMatch(m -> m.contains("on a port the agent picks"));
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("2.0.0", 2));
    assertThat(world.violations).isEmpty();
  }

  @Test
  void blueGreenPromotedAtOnceSwitchesInOneRouteRevisionThenStopsBlue() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    String id = submit(world, "1.0.0", "2.0.0",
        "{\"type\":\"blue-green\",\"autoPromoteSeconds\":0,\"scaleDownDelaySeconds\":0}");
    controller(world, 60_000).poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.routeWrites.get()).as("no preview for an immediate promotion: the switch only").isEqualTo(1);
    assertThat(world.routeHistory.get(0).split()).hasSize(1);
    assertThat(world.routeHistory.get(0).rules()).isEmpty();
    assertThat(world.starts.get()).isEqualTo(2);
    assertThat(world.stops.get()).isEqualTo(2);
    assertThat(world.violations).isEmpty();
  }

  @Test
  void canaryWalksItsStepsThenPromotesFully() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":25},{\"weight\":50}]}");
    controller(world, 60_000).poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.routeHistory).extracting(p -> p.split().get(p.split().size() - 1).weight())
        .containsExactly(25.0, 50.0, 100.0);
    assertThat(world.starts.get()).isEqualTo(2);
    assertThat(world.violations).isEmpty();
  }

  /** Issue 11: a worker host killed mid-release; the release completes on the others. */
  @Test
  void anAgentThatDiesMidStartIsNotAFailedHealthGateAndTheReleaseCompletesOnTheOthers() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b", "c")).running("1.0.0", 2).dyingOnStart("c");
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}");
    controller(world, 60_000).poke(id);
    Release r = awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.startLog).first().isEqualTo("2.0.0@c");
    assertThat(r.history()).anyMatch(h -> h.message().contains("the agent did not answer"));
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("2.0.0", 2));
    assertThat(world.violations).isEmpty();
  }

  @Test
  void aFailedHealthGateAbortsAndLeavesThePreviousVersionServingEverything() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2).failing("2.0.0");
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"rolling\"}");
    controller(world, 60_000).poke(id);
    Release r = awaitPhase(world, id, ReleasePhase.ABORTED);
    assertThat(r.message()).contains("health gate").contains("health_failed");
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("1.0.0", 2));
    assertThat(RouteSplits.dominant(world.route())).isEqualTo("1.0.0");
    assertThat(world.stops.get()).isZero();
  }

  @Test
  void canaryFailingAnalysisIsAbortedBackToStableAndItsInstancesStopped() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    world.metrics = (app, v, from, to) -> v.equals("2.0.0") ? new MetricsView.Sample(100, 30, 5)
        : new MetricsView.Sample(100, 0, 5);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":20,\"pauseSeconds\":60}],"
        + "\"analysis\":{\"intervalSeconds\":1,\"failureLimit\":1,\"minRequests\":10}}");
    controller(world, 60_000).poke(id);
    Release r = awaitPhase(world, id, ReleasePhase.ABORTED);
    assertThat(r.message()).contains("analysis failed");
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("1.0.0", 2));
    assertThat(world.route().split()).hasSize(1);
    assertThat(world.stops.get()).isEqualTo(1);
  }

  @Test
  void aReleaseBlockedPastItsProgressDeadlineAborts() {
    FakeWorld world = new FakeWorld(Fixtures.spec(1), List.of());
    String id = submit(world, null, "1.0.0", "{\"type\":\"rolling\"}");
    controller(world, 300).poke(id);
    Release r = awaitPhase(world, id, ReleasePhase.ABORTED);
    assertThat(r.message()).contains("progress deadline").contains("no live agent");
  }

  @Test
  void aRestartedControllerResumesAtItsStepWithoutRepeatingDoneSteps() throws Exception {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    String id = submit(world, "1.0.0", "2.0.0",
        "{\"type\":\"canary\",\"steps\":[{\"weight\":10},{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}]}");
    ReleaseController first = controller(world, 60_000);
    first.poke(id);
    Release paused = Poll.value(DEADLINE, () -> {
      Release r = world.release(id);
      return r.step() == 1 && r.phase() == ReleasePhase.PAUSED ? r : null;
    }, "the canary to pause at step 2");
    first.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int startsBefore = world.starts.get();
    int routesBefore = world.routeWrites.get();
    assertThat(startsBefore).isEqualTo(1);

    ReleaseController second = controller(world, 60_000);
    int looks = world.observes.get();
    second.poke(id);
    Poll.until(DEADLINE, () -> world.observes.get() >= looks + 5, "the new controller to look at the release 5 times");
    assertThat(world.starts.get()).as("no step repeated after the restart").isEqualTo(startsBefore);
    assertThat(world.routeWrites.get()).isEqualTo(routesBefore);
    world.put(ReleaseOperations.apply(ReleaseOperations.Op.PROMOTE, world.release(id), java.time.Instant.now()));
    second.poke(id);
    awaitPhase(world, id, ReleasePhase.SUCCEEDED);
    assertThat(world.starts.get()).isEqualTo(2);
    assertThat(paused.history()).extracting(HistoryEntry::phase).contains(ReleasePhase.PAUSED);
    assertThat(world.violations).isEmpty();
  }

  @Test
  void anOperatorAbortWhileTheControllerPlansWinsOverThePlannersWrite() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2);
    String id = submit(world, "1.0.0", "2.0.0", "{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":0}");
    controller(world, 60_000).poke(id);
    Poll.until(DEADLINE, () -> world.release(id).phase() == ReleasePhase.PAUSED, "green to wait for promotion");
    world.put(ReleaseOperations.apply(ReleaseOperations.Op.ABORT, world.release(id), java.time.Instant.now()));
    Release r = awaitPhase(world, id, ReleasePhase.ABORTED);
    assertThat(r.message()).contains("aborted by operator");
    assertThat(world.readyCounts()).containsExactly(java.util.Map.entry("1.0.0", 2));
  }
}
