package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Self-healing end to end (issue 11): real Consul, two real agents, a gateway and the registry, each its own
 * process. The registry declares a host lost after 3 s without its agent passing and answering.
 */
class SelfHealingIT {

  private static final Duration RESTORE = Duration.ofSeconds(90);

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static StackFixture given;

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 2).env(ServiceKind.REGISTRY, Map.of("BATON_HOST_LOST_MS", "3000",
        "BATON_RECONCILE_MS", "500", "BATON_DISCOVERY_SCAN_MS", "500", "BATON_LIST_TIMEOUT_MS", "2000")).start();
    given = new StackFixture(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void lostCapacityComesBackOnAnotherAgentAndASurplusThatReturnsIsDrainedAway() {
    given.givenApp("heal", 2, Map.of());
    given.givenServing("heal", "1.0.0");
    // Placement spreads the two instances unless an agent was slow to answer: take an agent that holds one.
    String a = passingPerAgent(view()).keySet().iterator().next();
    String b = "agent-1".equals(a) ? "agent-2" : "agent-1";
    Service agentA = stack.service(a);
    Service agentB = stack.service(b);

    // When a's host dies: the agent and its instances SIGKILLed.
    agentA.kill9Tree();

    // Then the desired count is restored on b, and the app view says so.
    JsonObject restored = awaitView(v -> "OK".equals(v.getString("status"))
        && passingPerAgent(v).equals(Map.of(b, 2)), "2 passing instances on " + b);
    assertThat(restored.getInteger("desired")).isEqualTo(2);
    assertThat(restored.getInteger("passing")).isEqualTo(2);
    assertThat(restored.getJsonObject("lastAction").getString("what")).contains("started");

    // When a comes back empty, and b's process dies alone (its two instances keep serving)...
    agentA.start();
    awaitView(v -> "LIVE".equals(hostOf(v, a)), a + " live again");
    agentB.kill9();

    // ...b's host is lost after 3 s: its instances count as gone and two are started on a.
    awaitView(v -> passingPerAgent(v).getOrDefault(a, 0) == 2, "2 passing instances on " + a);

    // When b comes back and re-adopts its two instances: the surplus is drained and stopped, under load.
    try (Traffic traffic = new Traffic(given.gateway("heal"), StackFixture.host("heal"), Duration.ofMinutes(3),
        Duration.ofMillis(20))) {
      agentB.start();
      JsonObject healed = awaitView(v -> "OK".equals(v.getString("status"))
          && passingPerAgent(v).equals(Map.of(a, 1, b, 1)) && v.getJsonArray("instances").size() == 2,
          "one instance per agent, the surplus gone");
      traffic.close();
      assertThat(traffic.bad()).as(traffic.toString()).isZero();
      assertThat(traffic.ok()).as(traffic.toString()).isPositive();
      assertThat(healed.getJsonObject("lastAction").getString("what")).contains("stopped surplus");
    }

    // When every host dies: the app is DEGRADED, and re-releasing its version does not hide the gap.
    stack.agents().forEach(Service::kill9Tree);
    JsonObject degraded = awaitView(v -> "DEGRADED".equals(v.getString("status")), "the app degraded");
    assertThat(degraded.getString("reason")).contains("no live agent");
    var again = given.registry().post("/v1/apps/heal/releases", new JsonObject().put("version", "1.0.0"));
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.json().getString("error")).isEqualTo("already_current");
    assertThat(again.json().getString("message")).contains("only 0 of 2 instance(s) pass", "reconciler");

    // Then hosts come back (empty) and the reconciler restores the app.
    stack.agents().forEach(s -> s.start());
    awaitView(v -> "OK".equals(v.getString("status")) && v.getInteger("passing") == 2, "the app restored");
  }

  private static JsonObject view() {
    return given.registry().get("/v1/apps/heal").json();
  }

  private static JsonObject awaitView(java.util.function.Predicate<JsonObject> done, String what) {
    return Poll.value(RESTORE, () -> {
      JsonObject v = view();
      return done.test(v) ? v : null;
    }, "the app view to show " + what);
  }

  /** Passing instances per agent, from the view's placement. */
  private static Map<String, Integer> passingPerAgent(JsonObject view) {
    Map<String, Integer> out = new TreeMap<>();
    view.getJsonArray("placement").forEach(o -> {
      JsonObject host = (JsonObject) o;
      long n = host.getJsonArray("instances").stream().filter(i -> ((JsonObject) i).getBoolean("passing")).count();
      if (n > 0) {
        out.put(host.getString("agent"), (int) n);
      }
    });
    return out;
  }

  private static String hostOf(JsonObject view, String agent) {
    return view.getJsonArray("placement").stream().map(o -> (JsonObject) o)
        .filter(h -> agent.equals(h.getString("agent"))).map(h -> h.getString("host")).findFirst().orElse(null);
  }
}
