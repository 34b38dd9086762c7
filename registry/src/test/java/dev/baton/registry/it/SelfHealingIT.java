package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
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

  static BatonStack stack;
  static StackFixture given;

  @BeforeAll
  static void start() {
    stack = BatonStack.start(CONSUL.port(), 2, Map.of("BATON_HOST_LOST_MS", "3000", "BATON_RECONCILE_MS", "500",
        "BATON_DISCOVERY_SCAN_MS", "500", "BATON_LIST_TIMEOUT_MS", "2000"));
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
    assertThat(passingPerAgent(view())).isEqualTo(Map.of("agent-1", 1, "agent-2", 1));

    // When agent-1's host dies: the agent and its instance SIGKILLed.
    stack.kill9AgentAndInstances(0);

    // Then the desired count is restored on agent-2, and the app view says so.
    JsonObject restored = awaitView(v -> "OK".equals(v.getString("status"))
        && passingPerAgent(v).equals(Map.of("agent-2", 2)), "2 passing instances on agent-2");
    assertThat(restored.getInteger("desired")).isEqualTo(2);
    assertThat(restored.getInteger("passing")).isEqualTo(2);
    assertThat(restored.getJsonObject("lastAction").getString("what")).contains("started", "agent-2");

    // When agent-1 comes back empty, and agent-2's process dies alone (its two instances keep serving)...
    stack.restartAgent(0);
    awaitView(v -> "LIVE".equals(hostOf(v, "agent-1")), "agent-1 live again");
    stack.kill9Agent(1);

    // ...agent-2's host is lost after 3 s: its instances count as gone and two are started on agent-1.
    awaitView(v -> passingPerAgent(v).getOrDefault("agent-1", 0) == 2, "2 passing instances on agent-1");

    // When agent-2 comes back and re-adopts its two instances: the surplus is drained and stopped, under load.
    try (Traffic traffic = new Traffic(given.gateway("heal"), StackFixture.host("heal"), Duration.ofMinutes(3),
        Duration.ofMillis(20))) {
      stack.restartAgent(1);
      JsonObject healed = awaitView(v -> "OK".equals(v.getString("status"))
          && passingPerAgent(v).equals(Map.of("agent-1", 1, "agent-2", 1)) && v.getJsonArray("instances").size() == 2,
          "one instance per agent, the surplus gone");
      traffic.close();
      assertThat(traffic.bad()).as(traffic.toString()).isZero();
      assertThat(traffic.ok()).as(traffic.toString()).isPositive();
      assertThat(healed.getJsonObject("lastAction").getString("what")).contains("stopped surplus");
    }
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
