package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.fixtures.Then;
import dev.baton.e2e.load.Figures;
import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The zero-downtime proof (DESIGN.md §5): the whole stack as separate processes — real Consul, the registry,
 * the gateway and two agents from their jars, sample-app instances started by the agents — and every release
 * strategy run under continuous load through the gateway (about 250 req/s: kept-alive and fresh connections,
 * POSTs with idempotency keys, sticky users, slow requests in flight across every switch).
 *
 * <p>The scenarios share one stack and run in order, each starting from the version the previous one left
 * serving, so the whole class stays within a few minutes on a 2-core machine. Each prints its line of the
 * figures table; the whole table is printed at the end and written to {@code target/zero-downtime.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroDowntimeIT {

  private static final String APP = "shop";
  private static final String V1 = "1.0.0";
  private static final String V2 = "2.0.0";
  private static final int MIN_RATE = 200;
  private static final List<Figures> TABLE = new ArrayList<>();
  private static Stack stack;
  private static Vertx vertx;
  private static Given given;

  @BeforeAll
  static void startTheStackServing1() {
    stack = StackUnderTest.start();
    vertx = Vertx.vertx();
    given = new Given(stack, vertx, APP).artifacts(V1, V2).app(3, Map.of()).serving(V1);
  }

  @AfterAll
  static void printTheTableAndStopEverything() throws IOException {
    String table = Figures.table(TABLE);
    System.out.println("\n== zero-downtime figures (" + TABLE.size() + " scenarios)\n" + table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "zero-downtime.txt"), table);
    try {
      if (vertx != null) {
        vertx.close().await();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  @Test
  @Order(1)
  void rollingSurgeMovesEveryRequestTo2WithoutOneFailing() {
    given.serving(V1)
        .scenario("rolling surge 1.0.0 -> 2.0.0", V1, V2)
        .release("{\"type\": \"rolling\", \"mode\": \"surge\", \"maxSurge\": 1, \"maxUnavailable\": 0}")
        .awaitPhase("SUCCEEDED")
        .then()
        .atLeastPerSecond(MIN_RATE).noFailedRequests().noLostOrDuplicatedOrders().onlyVersionAfterCompletion(V2)
        .report(TABLE);
  }

  @Test
  @Order(2)
  void rollingInPlaceGoesBackTo1OnTheSamePortsWithoutOneFailing() {
    given.serving(V2)
        .scenario("rolling in-place 2.0.0 -> 1.0.0", V2, V1)
        .release("{\"type\": \"rolling\", \"mode\": \"in-place\", \"maxUnavailable\": 1}")
        .awaitPhase("SUCCEEDED")
        .then()
        .atLeastPerSecond(MIN_RATE).noFailedRequests().noLostOrDuplicatedOrders().onlyVersionAfterCompletion(V1)
        .report(TABLE);
  }

  @Test
  @Order(3)
  void blueGreenIsPreviewedThenPromotedThenRolledBackInstantly() {
    given.serving(V1)
        .scenario("blue-green 1->2, promote, rollback", V1, V2)
        .release("{\"type\": \"blue-green\", \"preview\": {\"header\": \"X-Baton-Preview\", \"equals\": \"green\"},"
            + " \"scaleDownDelaySeconds\": 300}")
        .awaitPhase("PAUSED")
        .previewCheck("X-Baton-Preview", "green", V2, V1)
        .promote()
        .awaitPhase("SUCCEEDED")
        .awaitResponsesFrom(V2, 500)
        .rollback()
        .awaitPhase("SUCCEEDED")
        .then()
        .atLeastPerSecond(MIN_RATE).noFailedRequests().noLostOrDuplicatedOrders()
        .noResponseFromBefore(V2, "promote")
        .onlyVersionAfterCompletion(V1)
        .cutover("promote", V2, V1, "promote", "rollback")
        .cutover("rollback", V1, V2, "rollback", null)
        .report(TABLE);
  }

  @Test
  @Order(4)
  void canaryGrowsTenFiftyHundredAndNoStickyUserFlipsBack() {
    Then then = given.serving(V1)
        .scenario("canary 10-50-100 sticky 1->2", V1, V2)
        .release("{\"type\": \"canary\", \"steps\": [{\"weight\": 10, \"pauseSeconds\": 4},"
            + " {\"weight\": 50, \"pauseSeconds\": 4}, {\"weight\": 100}], \"sticky\": {\"header\": \"X-User-Id\"},"
            + " \"analysis\": {\"maxErrorRate\": 0.01, \"maxP99Ratio\": 1000, \"minRequests\": 20,"
            + " \"intervalSeconds\": 2, \"failureLimit\": 2, \"warmupSeconds\": 2}}")
        .awaitRouteWeight(V2, 10, "at-10")
        .awaitRouteWeight(V2, 50, "at-50")
        .awaitPhase("SUCCEEDED")
        .then()
        .atLeastPerSecond(MIN_RATE).noFailedRequests().noLostOrDuplicatedOrders().onlyVersionAfterCompletion(V2)
        .stickyUsersNeverFlipBack(V1, V2);
    long at10 = then.usersOn(V2, "at-50");
    System.out.println("sticky users on " + V2 + " by the end of the 10% step: " + at10 + " of 100");
    assertThat(at10).as("users on the canary during the 10% step").isBetween(1L, 30L);
    then.report(TABLE);
  }

  @Test
  @Order(5)
  void aFailingCanaryIsAbortedByAnalysisAndStableKeepsServing() {
    try {
      given.serving(V2)
          .scenario("failing canary 2->1 (FAIL_RATE)", V2, V1)
          .appEnv(3, Map.of("FAIL_RATE", "0.3")) // only instances started from now on get it: the canary
          .release("{\"type\": \"canary\", \"steps\": [{\"weight\": 20, \"pauseSeconds\": 60}, {\"weight\": 100}],"
              + " \"analysis\": {\"maxErrorRate\": 0.05, \"maxP99Ratio\": 1000, \"minRequests\": 20,"
              + " \"intervalSeconds\": 2, \"failureLimit\": 2, \"warmupSeconds\": 2}}")
          .awaitRouteWeight(V1, 20, "canary-routed")
          .awaitPhase("ABORTED")
          .then()
          .atLeastPerSecond(MIN_RATE).onlyInjectedFailuresFrom(V1, 20).noLostOrDuplicatedOrders()
          .onlyVersionAfterCompletion(V2)
          .cutover("abort", V2, V1, "canary-routed", null)
          .report(TABLE);
    } finally {
      given.app(3, Map.of());
    }
  }

  @Test
  @Order(6)
  void anInstanceKilledMidReleaseCostsNoRequestAndTheReleaseCompletes() {
    given.serving(V2)
        .scenario("kill -9 mid rolling 2->1", V2, V1)
        .release("{\"type\": \"rolling\", \"mode\": \"surge\", \"maxSurge\": 1, \"maxUnavailable\": 0,"
            + " \"minHealthySeconds\": 2}")
        .awaitPassing(V1, 1)
        .kill9(V2)
        .awaitPhase("SUCCEEDED")
        .then()
        .atLeastPerSecond(MIN_RATE).noFailedRequests().noLostOrDuplicatedOrders()
        .onlyVersionAfterCompletion(V1)
        .report(TABLE);
    given.serving(V1);
  }

  @Test
  @Order(7)
  void stoppingTheStackLeavesNoProcessAndNoConsulRegistration() {
    List<String> registered = StackUnderTest.shutdown(stack);
    assertThat(registered).as("services still registered in Consul after the stack stopped").isEmpty();
    Poll.until(Duration.ofSeconds(20), () -> stack.running().isEmpty(), "every process of the stack to exit");
  }
}
