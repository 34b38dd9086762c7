package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.StartInstanceRequest;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controller starts each version with its own config: the new one with the request's, the old one as it ran. */
class ConfigRollbackControllerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAbortedInPlaceReleaseStartsThePreviousVersionAgainWithThePreviousConfig() {
    FakeWorld world = new FakeWorld(Fixtures.spec(2), List.of("a", "b")).running("1.0.0", 2).allowUnavailable(1)
        .failing("2.0.0");
    ConfigOverrides flag = new ConfigOverrides(Map.of("FLAG", "x"), null);
    ConfigOverrides blue = new ConfigOverrides(Map.of("COLOR", "blue"), List.of("java", "-jar", "{artifact}"));
    world.put(new Release("shop.c1", "shop", "1.0.0", "2.0.0", Fixtures.strategy(
        "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}"), ReleasePhase.PENDING, 0, "created",
        List.of(new HistoryEntry("t", ReleasePhase.PENDING, "created")), new JsonObject(), new ReleaseConfig(flag, blue)));
    ReleaseController controller = new ReleaseController(vertx, world,
        new ReleaseController.Settings(20, 60_000, 3, "test-registry"), System::currentTimeMillis);
    controller.start();
    controller.poke("shop.c1");
    Poll.until(Duration.ofSeconds(20), () -> world.release("shop.c1").phase() == ReleasePhase.ABORTED, "the abort");

    List<StartInstanceRequest> starts = List.copyOf(world.startRequests);
    assertThat(starts).extracting(StartInstanceRequest::version).contains("2.0.0", "1.0.0");
    assertThat(starts).filteredOn(s -> s.version().equals("2.0.0"))
        .allSatisfy(s -> assertThat(s.env()).isEqualTo(Map.of("FLAG", "x")));
    assertThat(starts).filteredOn(s -> s.version().equals("1.0.0")).as("restarted by the rollback").isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.env()).isEqualTo(Map.of("COLOR", "blue"));
          assertThat(s.command()).containsExactly("java", "-jar", "{artifact}");
        });
    assertThat(world.readyCounts()).containsExactly(Map.entry("1.0.0", 2));
  }
}
