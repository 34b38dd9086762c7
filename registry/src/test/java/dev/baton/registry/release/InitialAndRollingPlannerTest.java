package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;

class InitialAndRollingPlannerTest {

  static final String SURGE = "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1,\"maxUnavailable\":0}";
  static final String SURGE_U1 = "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":0,\"maxUnavailable\":1}";
  static final String IN_PLACE = "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}";

  static List<Arguments> firstRelease() {
    return List.of(
        Arguments.of("nothing runs: start desired instances spread over agents", "", null,
            List.of("start 1.0.0@a", "start 1.0.0@b"), ReleasePhase.PROGRESSING),
        Arguments.of("one already started (restart): only the missing one", "a:1.0.0:H", null,
            List.of("start 1.0.0@b"), ReleasePhase.PROGRESSING),
        Arguments.of("starting ones count: wait, start nothing twice", "a:1.0.0:H, b:1.0.0:S", null,
            List.of(), ReleasePhase.PROGRESSING),
        Arguments.of("all ready: route 100%", "a:1.0.0:H, b:1.0.0:H", null,
            List.of("route 1.0.0=100"), ReleasePhase.PROGRESSING),
        Arguments.of("all ready and routed: succeeded", "a:1.0.0:H, b:1.0.0:H", split("1.0.0=1"),
            List.of(), ReleasePhase.SUCCEEDED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firstRelease")
  void firstReleaseStartsInstancesThenRoutes(String why, String instances, RoutePolicy route, List<String> actions,
                                             ReleasePhase phase) {
    Decision d = Planners.plan(new PlanContext(spec(2), release(null, "1.0.0", strategy(SURGE)), world(instances, route)));
    assertThat(words(d)).as(why).isEqualTo(actions);
    assertThat(d.release().phase()).as(why).isEqualTo(phase);
  }

  static List<Arguments> surge() {
    return List.of(
        Arguments.of("start: one surge instance beside the old ones", SURGE, "a:1:H, b:1:H", split("1=1"),
            List.of("start 2@c")),
        Arguments.of("surge used, new not ready: nothing", SURGE, "a:1:H, b:1:H, c:2:S", split("1=1"),
            List.of()),
        Arguments.of("new ready: route excludes the old one about to stop", SURGE, "a:1:H, b:1:H, c:2:H",
            split("1=1"), List.of("route 1=50,2=50")),
        Arguments.of("route done: stop that old instance", SURGE, "a:1:H, b:1:H, c:2:H", split("1=1", "2=1"),
            List.of("stop shop-1-a-20000")),
        Arguments.of("one old left: start the next new one", SURGE, "b:1:H, c:2:H", split("1=1", "2=1"),
            List.of("start 2@a")),
        Arguments.of("last old goes: route 100% new first", SURGE, "b:1:H, c:2:H, a:2:H", split("1=1", "2=1"),
            List.of("route 2=100")),
        Arguments.of("maxUnavailable 1, no surge: stop one old first", SURGE_U1, "a:1:H, b:1:H", split("1=1"),
            List.of("stop shop-1-a-20000")),
        Arguments.of("maxUnavailable 1: then start its replacement", SURGE_U1, "b:1:H", split("1=1"),
            List.of("start 2@a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("surge")
  void surgeKeepsCapacityAndRoutesBeforeStopping(String why, String strategy, String instances, RoutePolicy route,
                                                 List<String> actions) {
    Decision d = Planners.plan(new PlanContext(spec(2), release("1", "2", strategy(strategy)), world(instances, route)));
    assertThat(words(d)).as(why).isEqualTo(actions);
  }

  @org.junit.jupiter.api.Test
  void surgeSucceedsOnlyWhenNoOldInstanceIsLeftAndAllTrafficIsNew() {
    Decision d = Planners.plan(new PlanContext(spec(2), release("1", "2", strategy(SURGE)),
        world("a:2:H, b:2:H", split("2=1"))));
    assertThat(d.release().phase()).isEqualTo(ReleasePhase.SUCCEEDED);
    assertThat(d.actions()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void minHealthySecondsHoldsANewInstanceBackUntilItStayedReady() {
    String strategy = "{\"type\":\"rolling\",\"mode\":\"surge\",\"minHealthySeconds\":5}";
    Release r = release("1", "2", strategy(strategy));
    Decision first = Planners.plan(new PlanContext(spec(1), r, world("a:1:H, b:2:H", split("1=1"))));
    assertThat(first.actions()).isEmpty();
    assertThat(first.blocked()).isTrue();
    long seen = first.release().progress().getJsonObject(Progress.HEALTHY_SINCE).getLong("shop-2-b-20001");
    Decision later = Planners.plan(new PlanContext(spec(1), first.release(),
        world("a:1:H, b:2:H", split("1=1"), seen + 5_000, MetricsView.NONE)));
    assertThat(words(later)).containsExactly("route 2=100");
  }

  @org.junit.jupiter.api.Test
  void inPlaceTakesOneOutRoutesAroundItStopsItAndStartsTheNewVersionOnTheSamePort() {
    Release r = release("1", "2", strategy(IN_PLACE));
    Decision slot = Planners.plan(new PlanContext(spec(2), r, world("a:1:H:7001, b:1:H:7002", split("1=1"))));
    JsonArray slots = slot.release().progress().getJsonArray(Progress.SLOTS);
    assertThat(slots).hasSize(1);
    assertThat(slots.getJsonObject(0).getString("old")).isEqualTo("shop-1-a-7001");
    assertThat(slot.actions()).as("the slot is persisted before anything is stopped").isEmpty();

    Release inSlot = slot.release();
    assertThat(words(Planners.plan(new PlanContext(spec(2), inSlot, world("a:1:H:7001, b:1:H:7002", split("1=1"))))))
        .containsExactly("stop shop-1-a-7001");
    assertThat(words(Planners.plan(new PlanContext(spec(2), inSlot, world("b:1:H:7002", split("1=1"))))))
        .containsExactly("start 2@a:7001");
    assertThat(words(Planners.plan(new PlanContext(spec(2), inSlot, world("a:2:S:7001, b:1:H:7002", split("1=1"))))))
        .isEmpty();
    assertThat(words(Planners.plan(new PlanContext(spec(2), inSlot, world("a:2:H:7001, b:1:H:7002", split("1=1"))))))
        .containsExactly("route 1=50,2=50");
    Decision closed = Planners.plan(new PlanContext(spec(2), inSlot, world("a:2:H:7001, b:1:H:7002", split("1=1", "2=1"))));
    assertThat(closed.release().progress().getJsonArray(Progress.SLOTS)).isEmpty();
    Decision next = Planners.plan(new PlanContext(spec(2), closed.release(),
        world("a:2:H:7001, b:1:H:7002", split("1=1", "2=1"))));
    assertThat(next.release().progress().getJsonArray(Progress.SLOTS).getJsonObject(0).getString("old"))
        .isEqualTo("shop-1-b-7002");
    assertThat(words(Planners.plan(new PlanContext(spec(2), next.release(),
        world("a:2:H:7001, b:1:H:7002", split("1=1", "2=1")))))).as("the old one leaves the route before it stops")
        .containsExactly("route 2=100");
  }
}
