package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's housekeeping, on one agent with short settings:
 * <ul>
 *   <li>{@code BATON_KEEP_STOPPED=1}: only the newest ended instance stays listed, with its record and log;</li>
 *   <li>{@code BATON_RESYNC_MS=300}: a Consul agent that restarts without its state (here {@code consul agent -dev},
 *       which keeps everything in memory) forgets every registration, and the agent registers itself and its
 *       healthy instances again, without touching the instance process.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentHousekeepingIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static AgentFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of("BATON_KEEP_STOPPED", "1", "BATON_RESYNC_MS", "300"));
    fx.startAgent();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @Order(1)
  void endedInstancesBeyondTheLimitAreForgottenWithTheirFiles() throws Exception {
    String first = fx.startHealthy("old", "1.0.0").getString("id");
    assertThat(fx.delete("/v1/instances/" + first + "?wait=stopped").status()).isEqualTo(200);
    String second = fx.startHealthy("old", "2.0.0").getString("id");
    assertThat(fx.delete("/v1/instances/" + second + "?wait=stopped").status()).isEqualTo(200);
    assertThat(ids()).as("both stopped instances are listed until the next start").contains(first, second);

    String third = fx.startHealthy("new", "1.0.0").getString("id");

    assertThat(ids()).containsExactlyInAnyOrder(second, third);
    assertThat(fx.get("/v1/instances/" + first).status()).isEqualTo(404);
    assertThat(fx.get("/v1/instances/" + second).json().getString("state")).isEqualTo("STOPPED");
    Poll.until(AgentFixture.WAIT, () -> !Files.exists(fx.dataDir().resolve("state").resolve(first + ".json"))
        && !Files.exists(fx.dataDir().resolve("instances").resolve(first)), "the forgotten instance's record and directory deleted");
    assertThat(fx.dataDir().resolve("state").resolve(second + ".json")).exists();
    assertThat(fx.dataDir().resolve("instances").resolve(second).resolve("instance.log")).exists();
    assertThat(fx.delete("/v1/instances/" + third + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void registrationsLostByARestartedConsulAreRestored() throws Exception {
    JsonObject instance = fx.startHealthy("keep", "1.0.0");
    String id = instance.getString("id");
    assertThat(fx.passing("keep")).hasSize(1);

    CONSUL.process().restart();

    Poll.until(AgentFixture.WAIT, () -> fx.localServices().containsKey(fx.agentId)
        && fx.passing("keep").size() == 1, "the agent and its instance registered and passing again");
    fx.awaitEvent(id, "instance.registered", 2);
    JsonObject after = fx.get("/v1/instances/" + id).json();
    assertThat(after.getString("state")).isEqualTo("HEALTHY");
    assertThat(after.getLong("pid")).as("the same process, not a restart").isEqualTo(instance.getLong("pid"));
    assertThat(fx.instancePids()).containsExactly(instance.getLong("pid"));
    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
  }

  static List<String> ids() throws Exception {
    JsonArray list = fx.get("/v1/instances").array();
    return list.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
