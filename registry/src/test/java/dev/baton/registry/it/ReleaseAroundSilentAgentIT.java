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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, "a release finishes around an unreachable agent": an agent that does not answer (its process killed,
 * its old-version instance still serving) holds the release back, which names it, until it answers again.
 * Hosts are never declared lost here (BATON_HOST_LOST_MS is five minutes).
 */
class ReleaseAroundSilentAgentIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static StackFixture given;

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 2).env(ServiceKind.REGISTRY, Map.of("BATON_HOST_LOST_MS", "300000",
        "BATON_DISCOVERY_SCAN_MS", "500")).start();
    given = new StackFixture(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aReleaseWaitsForAnAgentThatDoesNotAnswerInsteadOfFinishingAroundItsOldInstance() {
    given.givenApp("quiet", 2, Map.of());
    given.givenServing("quiet", "1.0.0");

    // The process of an agent holding a 1.0.0 instance dies alone: the instance keeps serving, unreachable.
    String silent = agentHolding("quiet", "1.0.0");
    Service agent = stack.service(silent);
    agent.kill9();
    String id = given.release("quiet", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}");
    JsonObject held = Poll.value(StackFixture.RELEASE_TIMEOUT, () -> {
      JsonObject r = given.get(id);
      assertThat(r.getString("phase")).as(r.encodePrettily()).isIn("PENDING", "PROGRESSING");
      return r.getString("message").contains("waiting for agent(s) " + silent + ", which do not answer") ? r : null;
    }, "the release to wait for " + silent);
    assertThat(held.getString("message")).contains("quiet-1.0.0-" + silent);
    assertThat(given.passing("quiet")).containsKey("1.0.0");

    // The agent comes back and re-adopts its instance: the release stops it and only then succeeds.
    agent.start();
    given.awaitPhase(id, "SUCCEEDED");
    Poll.until(Duration.ofSeconds(30), () -> given.passing("quiet").equals(Map.of("2.0.0", 2)),
        "only the two 2.0.0 instances left passing");
  }

  private static String agentHolding(String app, String version) {
    return given.instances(app).stream().map(o -> (JsonObject) o)
        .filter(i -> version.equals(i.getString("version")) && "passing".equals(i.getString("status")))
        .map(i -> i.getString("agent")).findFirst().orElseThrow();
  }
}
