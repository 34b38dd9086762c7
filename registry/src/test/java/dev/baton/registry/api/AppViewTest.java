package dev.baton.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import dev.baton.registry.reconcile.AppHealth;
import dev.baton.registry.reconcile.AppStatus;
import dev.baton.registry.reconcile.HostState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppViewTest {

  private static final AppSpec SPEC = AppSpec.fromJson("shop", new JsonObject().put("instances", 3));
  private static final RoutePolicy ROUTE = RoutePolicy.single("shop", 4, "1.0.0");

  private static JsonObject instance(String id, String version, String agent, String status) {
    return new JsonObject().put("id", id).put("version", version).put("agent", agent)
        .put("address", "198.18.0." + agent.length()).put("port", 20000).put("status", status);
  }

  private static final JsonArray INSTANCES = new JsonArray()
      .add(instance("i1", "1.0.0", "agent-1", "passing"))
      .add(instance("i2", "1.0.0", "agent-2", "critical"))
      .add(instance("i3", "0.9.0", "agent-2", "passing"));

  @Test
  void showsDesiredPassingOfTheCurrentVersionAndEveryHostWithItsInstances() {
    JsonObject view = AppView.of(SPEC, ROUTE, INSTANCES, Optional.empty(), Optional.empty(),
        Map.of("agent-1", HostState.LIVE, "agent-2", HostState.SUSPECT, "agent-3", HostState.LIVE),
        Map.of("agent-1", "http://198.18.0.1:8070", "agent-3", "https://198.18.0.3:8070"));

    assertThat(view.getString("version")).isEqualTo("1.0.0");
    assertThat(view.getInteger("desired")).isEqualTo(3);
    assertThat(view.getInteger("passing")).isEqualTo(1);
    JsonArray placement = view.getJsonArray("placement");
    assertThat(placement.stream().map(o -> ((JsonObject) o).getString("agent")))
        .containsExactly("agent-1", "agent-2", "agent-3");
    JsonObject two = placement.getJsonObject(1);
    assertThat(two.getString("host")).isEqualTo("SUSPECT");
    assertThat(two.getJsonArray("instances").encode())
        .isEqualTo("[{\"id\":\"i2\",\"version\":\"1.0.0\",\"status\":\"critical\",\"passing\":false},"
            + "{\"id\":\"i3\",\"version\":\"0.9.0\",\"status\":\"passing\",\"passing\":true}]");
    assertThat(placement.getJsonObject(2).getJsonArray("instances")).isEmpty();
    assertThat(placement.getJsonObject(2).getString("agentUrl")).isEqualTo("https://198.18.0.3:8070");
  }

  @Test
  void everyInstanceCarriesItsAgentsUrlSoAClientCanReachItsLog() {
    JsonObject view = AppView.of(SPEC, ROUTE, INSTANCES, Optional.empty(), Optional.empty(), Map.of(),
        Map.of("agent-1", "http://198.18.0.1:8070"));

    JsonArray instances = view.getJsonArray("instances");
    assertThat(instances.getJsonObject(0).getString("agentUrl")).isEqualTo("http://198.18.0.1:8070");
    assertThat(instances.getJsonObject(1).containsKey("agentUrl")).isTrue();
    assertThat(instances.getJsonObject(1).getString("agentUrl")).isNull();
    assertThat(INSTANCES.getJsonObject(0).containsKey("agentUrl")).as("the input is not changed").isFalse();
  }

  @Test
  void theStatusIsTheReconcilersForTheCurrentVersion() {
    AppStatus stored = new AppStatus("shop", AppHealth.DEGRADED, "1 of 3 instance(s) of 1.0.0 passing; no live agent",
        "1.0.0", 3, "2026-11-30T08:00:00Z", new JsonObject().put("what", "started i1").put("at", "t"));

    JsonObject view = AppView.of(SPEC, ROUTE, INSTANCES, Optional.empty(), Optional.of(stored), Map.of(), Map.of());

    assertThat(view.getString("status")).isEqualTo("DEGRADED");
    assertThat(view.getString("reason")).contains("no live agent");
    assertThat(view.getJsonObject("lastAction").getString("what")).isEqualTo("started i1");
  }

  @Test
  void beforeTheReconcilerJudgedTheVersionTheStatusComesFromTheCounts() {
    AppStatus older = new AppStatus("shop", AppHealth.OK, "3 of 3", "0.9.0", 3, "t", null);

    JsonObject view = AppView.of(SPEC, ROUTE, INSTANCES, Optional.empty(), Optional.of(older), Map.of(), Map.of());
    JsonObject unreleased = AppView.of(SPEC, null, new JsonArray(), Optional.empty(), Optional.empty(), Map.of(), Map.of());

    assertThat(view.getString("status")).isEqualTo("RECONCILING");
    assertThat(view.getString("reason")).contains("1 of 3", "has not judged");
    assertThat(unreleased.getString("status")).isEqualTo("OK");
    assertThat(unreleased.getString("reason")).contains("no current version");
  }
}
