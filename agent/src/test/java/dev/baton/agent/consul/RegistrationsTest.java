package dev.baton.agent.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.instance.InstanceRecord;
import dev.baton.agent.process.EnvAllowList;
import dev.baton.common.config.PortRange;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistrationsTest {

  private final AgentSettings settings = new AgentSettings("host-a", "127.0.0.1", 8070, "10.0.0.5",
      new PortRange(20000, 20999), Path.of("/tmp/x"), 30_000, 2_000, 30_000, 60_000, 250, 1024, 65536, 1000, 30_000,
      10, 60_000, true, 50, 10_000, EnvAllowList.parse(""));

  @Test
  void anInstanceIsRegisteredExactlyAsDesignSection3Says() {
    StartInstanceRequest req = StartInstanceRequest.fromJson(new JsonObject().put("app", "shop").put("version", "2.0.0")
        .put("healthPath", "/ready").put("release", "r-9")
        .put("artifact", new JsonObject().put("url", "http://r/a").put("sha256", "b".repeat(64))));
    Instance i = new Instance("shop-2.0.0-host-a-20007", "shop", "2.0.0", 20007, 1, InstanceState.STARTING, "t", "m");
    JsonObject body = Registrations.instance(new InstanceRecord(i, req, "/a", 0, false, 0), settings);

    assertThat(body.getString("ID")).isEqualTo("shop-2.0.0-host-a-20007");
    assertThat(body.getString("Name")).isEqualTo("shop");
    assertThat(body.getJsonArray("Tags").getList()).containsExactly("baton", "version=2.0.0");
    assertThat(body.getString("Address")).isEqualTo("10.0.0.5");
    assertThat(body.getInteger("Port")).isEqualTo(20007);
    assertThat(body.getJsonObject("Meta").getMap()).containsEntry("version", "2.0.0").containsEntry("agent", "host-a")
        .containsEntry("release", "r-9").containsEntry("sha256", "b".repeat(64));
    JsonObject check = body.getJsonObject("Check");
    assertThat(check.getString("HTTP")).isEqualTo("http://10.0.0.5:20007/ready");
    assertThat(check.getString("Interval")).isEqualTo("1s");
    assertThat(check.getString("Timeout")).isEqualTo("1s");
    assertThat(check.getString("DeregisterCriticalServiceAfter")).isEqualTo("1m");
  }

  @Test
  void theAgentRegistersItselfWithItsAddresses() {
    JsonObject body = Registrations.agent(settings);

    assertThat(body.getString("ID")).isEqualTo("host-a");
    assertThat(body.getString("Name")).isEqualTo("baton-agent");
    assertThat(body.getJsonObject("Meta").getMap()).containsEntry("agent", "host-a")
        .containsEntry("http", "http://127.0.0.1:8070").containsEntry("eventBus", "baton.agent.host-a");
    assertThat(body.getJsonObject("Check").getString("HTTP")).isEqualTo("http://127.0.0.1:8070/v1/health");
  }
}
