package dev.baton.e2e.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole baton stack as production runs it, on this machine, built by the test-support stack builder: a real
 * {@code consul agent -dev}, then the registry, the gateway and two agents, each its own {@code java -jar}
 * process, with e2e's timings (a release of three instances under load takes minutes on a loaded machine). How
 * an operator stops it is {@link #shutdown(Stack)}.
 */
public final class StackUnderTest {

  /**
   * The event bus runs mutual TLS as in production; {@code -Dbaton.e2e.clusterTls=false} runs the same stack on
   * a plain loopback bus, only to measure what TLS costs (README, "Zero downtime, measured").
   */
  static final boolean CLUSTER_TLS = !"false".equals(System.getProperty("baton.e2e.clusterTls"));

  private StackUnderTest() {
  }

  /** Starts Consul and every service, and returns once the registry leads and Consul lists the fleet. */
  public static Stack start() {
    Stack stack = StackBuilder.create().name("e2e").clusterTls(CLUSTER_TLS).startTimeout(Duration.ofMinutes(2))
        .registries(1).gateways(1).agents(2)
        .env(ServiceKind.REGISTRY, Map.of("BATON_START_TIMEOUT_MS", "90000", "BATON_PROGRESS_DEADLINE_SECONDS", "180",
            "BATON_SHUTDOWN_GRACE_MS", "10000"))
        .env(ServiceKind.AGENT, Map.of("BATON_DRAIN_TIMEOUT_MS", "15000", "BATON_STOP_GRACE_MS", "10000",
            "BATON_HEALTH_TIMEOUT_MS", "60000"))
        .start();
    try {
      stack.awaitLeader(Duration.ofSeconds(60));
      Poll.until(Duration.ofSeconds(30), () -> stack.passing("baton-agent") == 2 && stack.passing("baton-gateway") == 1,
          "both agents and the gateway to pass in Consul");
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  /**
   * Stops the stack the way an operator does: the registry first (no release may start anything), then every
   * app instance through its agent (deregistered, drained through the gateway, SIGTERM), then the gateway and
   * the agents with SIGTERM. Returns the Consul services still registered afterwards (Consul itself excluded);
   * Consul keeps running until the stack is closed.
   */
  public static List<String> shutdown(Stack stack) {
    stack.registry().stop(Duration.ofSeconds(30));
    for (Service agent : stack.agents()) {
      for (Object o : agent.http().get("/v1/instances").array()) {
        JsonObject i = (JsonObject) o;
        if (List.of("STARTING", "HEALTHY", "DRAINING").contains(i.getString("state"))) {
          agent.http().delete("/v1/instances/" + i.getString("id") + "?wait=stopped").ok("stop " + i.getString("id"));
        }
      }
    }
    stack.gateway().stop(Duration.ofSeconds(30));
    stack.agents().forEach(a -> a.stop(Duration.ofSeconds(30)));
    List<String> left = new ArrayList<>();
    try {
      Poll.until(Duration.ofSeconds(15), () -> registered(stack).isEmpty(), "Consul to list no service but itself");
    } catch (AssertionError e) {
      left.addAll(registered(stack));
    }
    return left;
  }

  private static List<String> registered(Stack stack) {
    List<String> names = new ArrayList<>(stack.consulHttp().get("/v1/catalog/services").json().fieldNames());
    names.remove("consul");
    return names;
  }
}
