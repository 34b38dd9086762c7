package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.strategy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The controller's decisions on its actions' results, as a table: results in, release out. */
class OutcomesTest {

  private static final int ATTEMPTS = 3;
  private static final Action.StartInstance START = new Action.StartInstance("a", "2", 20001);
  private static final Action STOP = new Action.StopInstance("a", "shop-1-a-20001", "1");
  private static final Action ROUTE = new Action.WriteRoute(new RoutePolicy("shop", 0,
      List.of(new WeightedVersion("2", 100)), List.of(), null, null));

  private static ActionResult failed(Action a, ActionResult.Kind kind) {
    return new ActionResult.Failed(a, kind, kind.name().toLowerCase() + " failure");
  }

  /** progress before (JSON), results, then: phase, progress after (JSON), the last history entry's words. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("failed start aborts (health gate)", "{}", List.of(failed(START, ActionResult.Kind.START_REFUSED)),
            ReleasePhase.PROGRESSING, "{\"abort\":\"health gate: start_refused failure\"}",
            "aborting: health gate: start_refused failure"),
        Arguments.of("an unanswered agent retries, blocked from now", "{}",
            List.of(failed(START, ActionResult.Kind.AGENT_UNANSWERED)),
            ReleasePhase.PROGRESSING, "{\"blockedSince\":" + NOW + "}", "not a health gate failure"),
        Arguments.of("blocked-since is kept when already blocked", "{\"blockedSince\":5}",
            List.of(failed(STOP, ActionResult.Kind.OTHER)),
            ReleasePhase.PROGRESSING, "{\"blockedSince\":5}", "other failure; retrying"),
        Arguments.of("a failed route write retries", "{}", List.of(failed(ROUTE, ActionResult.Kind.OTHER)),
            ReleasePhase.PROGRESSING, "{\"blockedSince\":" + NOW + "}", "other failure; retrying"),
        Arguments.of("a busy port is recorded and retried on any port", "{}",
            List.of(failed(START, ActionResult.Kind.PORT_BUSY)),
            ReleasePhase.PROGRESSING, "{\"portBusy\":[\"a:20001\"]}", "starting 2 on a port the agent picks"),
        Arguments.of("a busy port is recorded once", "{\"portBusy\":[\"a:20001\"]}",
            List.of(failed(START, ActionResult.Kind.PORT_BUSY)),
            ReleasePhase.PROGRESSING, "{\"portBusy\":[\"a:20001\"]}", "port 20001 on agent a is not free yet"),
        Arguments.of("a failure while aborting counts", "{\"abort\":\"x\"}",
            List.of(failed(START, ActionResult.Kind.START_REFUSED)),
            ReleasePhase.PROGRESSING, "{\"abort\":\"x\",\"rollbackFailures\":1}", "rollback step failed (1/3)"),
        Arguments.of("an unanswered agent while aborting counts too", "{\"abort\":\"x\",\"rollbackFailures\":1}",
            List.of(failed(STOP, ActionResult.Kind.AGENT_UNANSWERED)),
            ReleasePhase.PROGRESSING, "{\"abort\":\"x\",\"rollbackFailures\":2}", "rollback step failed (2/3)"),
        Arguments.of("the last allowed failure while aborting FAILS", "{\"abort\":\"x\",\"rollbackFailures\":2}",
            List.of(failed(STOP, ActionResult.Kind.OTHER)),
            ReleasePhase.FAILED, "{\"abort\":\"x\",\"rollbackFailures\":3}", "rollback failed 3 times: other failure"),
        Arguments.of("notes are appended, in order", "{\"bake\":{\"until\":1}}",
            List.of(new ActionResult.Done(ROUTE, "gateway g2 did not acknowledge"), new ActionResult.Done(STOP, null)),
            ReleasePhase.PROGRESSING, "{\"bake\":{\"until\":1}}", "gateway g2 did not acknowledge"),
        Arguments.of("a refused start and a busy port: the release aborts, the port is still noted", "{}",
            List.of(failed(START, ActionResult.Kind.PORT_BUSY), failed(STOP, ActionResult.Kind.START_REFUSED)),
            ReleasePhase.PROGRESSING, "{\"portBusy\":[\"a:20001\"],\"abort\":\"health gate: start_refused failure\"}",
            "aborting: health gate"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void resultsDecideTheRelease(String name, String before, List<ActionResult> results, ReleasePhase phase,
                               String after, String lastWords) {
    Release r = progressing(new JsonObject(before));
    Release out = Outcomes.record(r, results, NOW, ATTEMPTS);
    assertThat(out.phase()).isEqualTo(phase);
    assertThat(out.progress()).isEqualTo(new JsonObject(after));
    assertThat(out.history().get(out.history().size() - 1).message()).contains(lastWords);
  }

  @Test
  void nothingToSayChangesNothing() {
    Release r = progressing(new JsonObject());
    assertThat(Outcomes.record(r, List.of(new ActionResult.Done(STOP, null)), NOW, ATTEMPTS)).isSameAs(r);
  }

  @Test
  void everyFailureIsInTheOneEntry() {
    Release out = Outcomes.record(progressing(new JsonObject()), List.of(failed(STOP, ActionResult.Kind.OTHER),
        failed(ROUTE, ActionResult.Kind.AGENT_UNANSWERED)), NOW, ATTEMPTS);
    assertThat(out.history()).extracting(HistoryEntry::message).last().asString()
        .startsWith("other failure; agent_unanswered failure").endsWith("; retrying");
  }

  private static Release progressing(JsonObject progress) {
    return release("1", "2", strategy("{\"type\":\"rolling\"}")).transition(ReleasePhase.PROGRESSING, "go", "t")
        .withProgress(progress);
  }
}
