package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ServiceNames;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Instances are the service: they outlive the agent, and a restarted agent takes them back, no duplicate, no orphan. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentRestartIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static AgentFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of());
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @Order(1)
  void anAgentKilledAndStartedAgainReadoptsItsInstancesCleansUpAndLeavesNoOrphan() throws Exception {
    ManagedProcess first = fx.startAgent();
    JsonObject survivor = fx.startHealthy("keep", "1.0.0");
    JsonObject victim = fx.startHealthy("lose", "2.0.0");
    String staleId = ServiceNames.instanceId("ghost", "9.9.9", fx.agentId, 1);
    fx.consulPut("/v1/agent/service/register", new JsonObject().put("ID", staleId).put("Name", "ghost")
        .put("Tags", new JsonArray(ServiceNames.instanceTags("9.9.9")))
        .put("Meta", new JsonObject().put(ServiceNames.META_AGENT, fx.agentId)));

    first.kill9();
    first.waitForExit(Duration.ofSeconds(10));
    long survivorPid = survivor.getLong("pid");
    assertThat(AgentFixture.alive(survivorPid)).as("instances outlive the agent").isTrue();
    assertThat(fx.passing("keep")).hasSize(1);
    AgentFixture.kill9(victim.getLong("pid"));

    fx.startAgent();

    String id = survivor.getString("id");
    fx.awaitEvent(id, "instance.adopted", 1);
    fx.awaitEvent(id, "instance.registered", 2);
    JsonObject adopted = fx.get("/v1/instances/" + id).json();
    assertThat(adopted.getString("state")).isEqualTo("HEALTHY");
    assertThat(adopted.getLong("pid")).isEqualTo(survivorPid);
    assertThat(fx.passing("keep")).hasSize(1);
    assertThat(fx.instancePids()).as("exactly the adopted process runs, no duplicate").containsExactly(survivorPid);

    JsonObject lost = fx.get("/v1/instances/" + victim.getString("id")).json();
    assertThat(lost.getString("state")).isEqualTo("FAILED");
    assertThat(lost.getString("message")).contains("gone when the agent restarted");
    Poll.until(AgentFixture.WAIT, () -> !fx.localServices().containsKey(victim.getString("id"))
        && !fx.localServices().containsKey(staleId), "dead and stale registrations to be removed");

    AgentFixture.Reply stopped = fx.delete("/v1/instances/" + id + "?wait=stopped");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    assertThat(AgentFixture.alive(survivorPid)).isFalse();
    assertThat(fx.instancePids()).isEmpty();
    assertThat(fx.passing("keep")).isEmpty();
  }

  @Test
  @Order(2)
  void sigtermStopsTheAgentAndDeregistersItButLeavesInstancesServing() throws Exception {
    if (fx.agent == null || !fx.agent.isAlive()) {
      fx.startAgent();
    }
    assertThat(fx.localServices().getJsonObject(fx.agentId).getString("Service")).isEqualTo(ServiceNames.AGENT);
    JsonObject instance = fx.startHealthy("stay", "1.0.0");

    fx.agent.sigterm();
    assertThat(fx.agent.waitForExit(Duration.ofSeconds(40))).isEqualTo(0);

    assertThat(fx.localServices().containsKey(fx.agentId)).isFalse();
    assertThat(AgentFixture.alive(instance.getLong("pid"))).isTrue();
    assertThat(fx.passing("stay")).hasSize(1);
    List<Long> pids = fx.instancePids();
    assertThat(pids).containsExactly(instance.getLong("pid"));
    AgentFixture.kill9(instance.getLong("pid"));
  }
}
