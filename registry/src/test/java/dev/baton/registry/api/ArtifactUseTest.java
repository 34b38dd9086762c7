package dev.baton.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Strategy;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArtifactUseTest {

  static int seq;

  static Release release(String from, String to, ReleasePhase phase) {
    seq++;
    return new Release("shop.2026010" + seq + "T000000-0000", "shop", from, to,
        Strategy.fromJson(new JsonObject().put("type", "rolling")), phase, 0, "m",
        List.of(new HistoryEntry("t", phase, "m")), new JsonObject());
  }

  static List<String> reasons(String version, List<String> running, RoutePolicy route, Release... releases) {
    return ArtifactUse.reasons("shop", version, running, Optional.ofNullable(route), List.of(releases));
  }

  @Test
  void aVersionNothingNamesMayGo() {
    assertThat(reasons("3.0.0", List.of("2.0.0", "2.0.0"), RoutePolicy.single("shop", 4, "2.0.0"),
        release(null, "1.0.0", ReleasePhase.SUCCEEDED), release("1.0.0", "2.0.0", ReleasePhase.SUCCEEDED))).isEmpty();
    assertThat(reasons("1.0.0", List.of(), null)).isEmpty();
  }

  @Test
  void aRunningInstanceOrTheRoutePolicyKeepsIt() {
    assertThat(reasons("2.0.0", List.of("2.0.0", "1.0.0", "2.0.0"), null)).containsExactly("2 instances run it");
    assertThat(reasons("2.0.0", List.of(), RoutePolicy.single("shop", 9, "2.0.0")))
        .containsExactly("the route policy of shop (revision 9) names it");
    RoutePolicy mirrored = RoutePolicy.fromJson(new JsonObject("{\"app\":\"shop\",\"split\":[{\"version\":\"1.0.0\","
        + "\"weight\":100}],\"mirror\":{\"version\":\"3.0.0\",\"percent\":5}}"));
    assertThat(reasons("3.0.0", List.of(), mirrored)).hasSize(1);
    RoutePolicy ruled = RoutePolicy.fromJson(new JsonObject("{\"app\":\"shop\",\"split\":[{\"version\":\"1.0.0\","
        + "\"weight\":100}],\"rules\":[{\"match\":{\"header\":\"X-A\",\"equals\":\"y\"},\"version\":\"4.0.0\"}]}"));
    assertThat(reasons("4.0.0", List.of(), ruled)).hasSize(1);
  }

  @Test
  void bothEndsOfAReleaseInProgressAreKeptButNotThoseOfAFinishedOne() {
    Release active = release("1.0.0", "2.0.0", ReleasePhase.PAUSED);
    assertThat(reasons("1.0.0", List.of(), null, active)).singleElement().asString().contains(active.id(), "PAUSED");
    assertThat(reasons("2.0.0", List.of(), null, active)).hasSize(1);
    assertThat(reasons("2.0.0", List.of(), null, release("1.0.0", "2.0.0", ReleasePhase.ABORTED))).isEmpty();
  }

  @Test
  void thePreviousGoodVersionIsWhatRollbackGoesBackToAndTheLastDeployedIsKeptToo() {
    Release first = release(null, "1.0.0", ReleasePhase.SUCCEEDED);
    Release second = release("1.0.0", "2.0.0", ReleasePhase.SUCCEEDED);
    Release failed = release("2.0.0", "3.0.0", ReleasePhase.ABORTED);
    assertThat(reasons("1.0.0", List.of(), null, first, second, failed)).singleElement().asString()
        .contains("previous good version", "rollback", second.id());
    assertThat(reasons("2.0.0", List.of(), null, first, second, failed)).singleElement().asString()
        .contains("last successful release", second.id());
    assertThat(reasons("3.0.0", List.of(), null, first, second, failed)).isEmpty();
    Release again = release(null, "5.0.0", ReleasePhase.SUCCEEDED);
    assertThat(reasons("1.0.0", List.of(), null, first, second, again)).as("rollback still returns to 1.0.0")
        .hasSize(1);
  }
}
