package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Consul agent that restarts without its state (here {@code consul agent -dev}, which keeps everything in memory)
 * forgets every registration; the agent notices within {@code BATON_RESYNC_MS} and registers itself and its
 * healthy instances again, without touching the instance process.
 */
class AgentConsulResyncIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static AgentFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of("BATON_RESYNC_MS", "300"));
    fx.startAgent();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
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
}
