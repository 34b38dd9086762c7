package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.BatonEvent;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hung instance is not registered again as passing (issue 11): Consul removes the registration of an
 * instance whose check stayed critical ({@code DeregisterCriticalServiceAfter}), and the agent's resync
 * ({@code BATON_RESYNC_MS=300}) must probe it before restoring it. Here the instance process is frozen with
 * SIGSTOP and its registration removed through Consul's agent API, as Consul itself would; it stays
 * unregistered while frozen, and comes back passing, the same process, once SIGCONT resumes it.
 */
class AgentHungInstanceIT {

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
  void aFrozenInstanceLostFromConsulIsNotRegisteredAgainUntilItAnswersItsHealthCheck() throws Exception {
    JsonObject instance = fx.startHealthy("hang", "1.0.0");
    String id = instance.getString("id");
    long pid = instance.getLong("pid");
    assertThat(fx.passing("hang")).hasSize(1);
    try {
      signal("STOP", pid);
      fx.consulPut("/v1/agent/service/deregister/" + id, null);

      BatonEvent unhealthy = fx.awaitEvent(id, "instance.unhealthy", 1);
      assertThat(unhealthy.message()).contains("not registered again").contains("/health did not pass");
      // Each round makes the agent register itself again, which proves a whole resync pass ran (one pass at a
      // time, the agent first, then the lost instances): the frozen instance must stay out of Consul through all.
      for (int round = 1; round <= 3; round++) {
        fx.consulPut("/v1/agent/service/deregister/" + fx.agentId, null);
        int r = round;
        Poll.until(AgentFixture.WAIT, () -> fx.localServices().containsKey(fx.agentId),
            "resync pass " + r + " to register the agent again");
        assertThat(fx.localServices().containsKey(id)).as("frozen instance registered again").isFalse();
        assertThat(fx.passing("hang")).isEmpty();
      }
      assertThat(fx.kindsOf(id).stream().filter("instance.unhealthy"::equals)).as("reported once").hasSize(1);
      assertThat(fx.kindsOf(id)).containsOnlyOnce("instance.registered");
      assertThat(fx.get("/v1/instances/" + id).json().getString("state")).isEqualTo("HEALTHY");

      signal("CONT", pid);

      Poll.until(AgentFixture.WAIT, () -> fx.passing("hang").size() == 1, "the resumed instance passing again");
      BatonEvent registered = fx.awaitEvent(id, "instance.registered", 2);
      assertThat(registered.message()).contains("missing from the Consul agent").contains("/health passed");
      JsonObject after = fx.get("/v1/instances/" + id).json();
      assertThat(after.getString("state")).isEqualTo("HEALTHY");
      assertThat(after.getLong("pid")).as("the same process, not a restart").isEqualTo(pid);
      assertThat(fx.instancePids()).containsExactly(pid);
    } finally {
      signal("CONT", pid);
    }
    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
    assertThat(AgentFixture.alive(pid)).isFalse();
  }

  /** Sends SIGSTOP or SIGCONT ({@link ProcessHandle} only terminates); a process already gone is no error. */
  static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
    }
  }
}
