package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.ApiError;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each action's outcome becomes one typed result; the kind comes from the agent's error code, never its words. */
class ActionResultTest {

  private static final Action START_ON_PORT = new Action.StartInstance("a", "2", 20001);
  private static final Action START_ANY_PORT = new Action.StartInstance("a", "2", null);
  private static final Action STOP = new Action.StopInstance("a", "shop-1-a-20001", "1");
  private static final Action ROUTE = new Action.WriteRoute(new RoutePolicy("shop", 0,
      List.of(new WeightedVersion("2", 100)), List.of(), null, null));

  /** The agent's refusal as it travels on the bus: its HTTP status and JSON error body (docs/agent.md). */
  private static ReplyException agent(int status, String code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, new ApiError(code, message).toJson().encode());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(START_ON_PORT, agent(409, "port_in_use", "port 20001 is in use"), ActionResult.Kind.PORT_BUSY),
        Arguments.of(START_ON_PORT, AgentRefusal.from(agent(409, "port_in_use", "x")), ActionResult.Kind.PORT_BUSY),
        // no port was asked for: the agent picked one, so a busy port is its own failure
        Arguments.of(START_ANY_PORT, agent(409, "port_in_use", "x"), ActionResult.Kind.START_REFUSED),
        // the words alone do not make a busy port
        Arguments.of(START_ON_PORT, new IllegalStateException("port_in_use: 20001"), ActionResult.Kind.START_REFUSED),
        Arguments.of(START_ON_PORT, agent(502, "instance_failed", "never passed /health"),
            ActionResult.Kind.START_REFUSED),
        Arguments.of(START_ON_PORT, new ReplyException(ReplyFailure.TIMEOUT, "Timed out after 60000 ms"),
            ActionResult.Kind.AGENT_UNANSWERED),
        Arguments.of(STOP, new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers"),
            ActionResult.Kind.AGENT_UNANSWERED),
        Arguments.of(STOP, agent(500, "stop_failed", "x"), ActionResult.Kind.OTHER),
        Arguments.of(ROUTE, new IllegalStateException("consul down"), ActionResult.Kind.OTHER));
  }

  @ParameterizedTest(name = "{0} failing with {1} -> {2}")
  @MethodSource("cases")
  void aFailureIsClassifiedByWhatFailedAndTheAgentsCode(Action a, Throwable error, ActionResult.Kind kind) {
    ActionResult r = ActionResult.of(a, null, error);
    assertThat(r).isInstanceOf(ActionResult.Failed.class);
    assertThat(((ActionResult.Failed) r).kind()).isEqualTo(kind);
    assertThat(((ActionResult.Failed) r).message()).contains(" failed: ");
  }

  @Test
  void aSuccessKeepsItsNote() {
    assertThat(ActionResult.of(ROUTE, "gateway g2 did not acknowledge", null))
        .isEqualTo(new ActionResult.Done(ROUTE, "gateway g2 did not acknowledge"));
    assertThat(ActionResult.of(STOP, null, null)).isEqualTo(new ActionResult.Done(STOP, null));
  }

  @Test
  void theAgentsRefusalKeepsItsCodeStatusAndWords() {
    AgentRefusal r = AgentRefusal.from(agent(409, "port_in_use", "port 20001 is in use"));
    assertThat(r.error()).isEqualTo("port_in_use");
    assertThat(r.failureCode()).isEqualTo(409);
    assertThat(r.getMessage()).isEqualTo("port_in_use: port 20001 is in use");
    assertThat(AgentRefusal.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "plain words"))).isNull();
    assertThat(AgentRefusal.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "{\"no\":1}"))).isNull();
    assertThat(AgentRefusal.from(new ReplyException(ReplyFailure.TIMEOUT, "{\"error\":\"x\"}"))).isNull();
  }
}
