package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11: a release finished around an unreachable agent whose old instance kept serving. */
class SuspectGuardTest {

  /** Agents a and b answer; c does not (suspect): its instances come from Consul. */
  private static Observed withSuspectC(String instances) {
    Observed o = Fixtures.world(instances, split("2=1"));
    return new Observed(List.of("a", "b"), o.instances(), o.route(), o.nowMs(), o.metrics(), List.of("c"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1,\"maxUnavailable\":0}",
      "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}",
      "{\"type\":\"blue-green\",\"autoPromoteSeconds\":0,\"scaleDownDelaySeconds\":0}"})
  void aReleaseNeverFinishesWhileAnOldInstanceMayServeOnAnAgentThatDoesNotAnswer(String strategy) {
    PlanContext ctx = new PlanContext(spec(2), release("1", "2", strategy(strategy)),
        withSuspectC("a:2:H, b:2:H, c:1:H"));

    Decision d = SuspectGuard.apply(ctx, Planners.plan(ctx));

    assertThat(d.release().phase().isTerminal()).as(d.release().message()).isFalse();
    assertThat(d.actions()).noneMatch(a -> a instanceof Action.StopInstance s && s.agentId().equals("c"));
  }

  @Test
  void aFinishIsHeldBackNamingTheAgentAndItsInstances() {
    PlanContext ctx = new PlanContext(spec(2), release("1", "2", strategy("{\"type\":\"rolling\"}")),
        withSuspectC("a:2:H, b:2:H, c:1:H"));
    Release done = ctx.release().transition(ReleasePhase.SUCCEEDED, "2 instance(s) of 2 serve 100% of traffic", ctx.at());

    Decision d = SuspectGuard.apply(ctx, Decision.idle(done));

    assertThat(d.blocked()).isTrue();
    assertThat(d.release().phase()).isEqualTo(ReleasePhase.PROGRESSING);
    assertThat(d.release().message()).contains("agent(s) c", "shop-1-c-20002 (1)", "BATON_HOST_LOST_MS");
  }

  @Test
  void aStopForAnAgentThatDoesNotAnswerIsNotSentAndTheOthersAre() {
    PlanContext ctx = new PlanContext(spec(2), release("1", "2", strategy("{\"type\":\"rolling\"}")),
        withSuspectC("a:1:H, b:2:H, c:1:H"));
    Decision planned = Decision.act(ctx.release(), List.of(new Action.StopInstance("c", "shop-1-c-20002", "1"),
        new Action.StopInstance("a", "shop-1-a-20000", "1")));

    Decision d = SuspectGuard.apply(ctx, planned);
    Decision onlyC = SuspectGuard.apply(ctx, Decision.act(ctx.release(),
        new Action.StopInstance("c", "shop-1-c-20002", "1")));

    assertThat(Fixtures.words(d)).containsExactly("stop shop-1-a-20000");
    assertThat(onlyC.actions()).isEmpty();
    assertThat(onlyC.blocked()).isTrue();
    assertThat(onlyC.release().message()).contains("to stop shop-1-c-20002 on c");
  }

  @Test
  void anAbortIsHeldBackWhileTheNewVersionMayServeOnAnAgentThatDoesNotAnswer() {
    Release aborting = PlanContext.with(release("1", "2", strategy("{\"type\":\"rolling\"}")), Progress.ABORT, "operator");
    PlanContext ctx = new PlanContext(spec(2), aborting, withSuspectC("a:1:H, b:1:H, c:2:H"));

    Decision d = SuspectGuard.apply(ctx, Decision.idle(aborting.transition(ReleasePhase.ABORTED, "rolled back", ctx.at())));

    assertThat(d.release().phase()).isEqualTo(ReleasePhase.PROGRESSING);
    assertThat(d.release().message()).contains("shop-2-c-20002 (2)");
  }

  /** An in-place slot on an agent whose host was lost mid-release: no start is sent there, the slot is dropped. */
  @Test
  void anInPlaceSlotOnAnAgentThatIsGoneIsDroppedAndTheInstanceGoesElsewhere() {
    io.vertx.core.json.JsonArray slots = new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
        .put("agent", "c").put("port", 20009).put("old", "shop-1-c-20009"));
    Release r = PlanContext.with(release("1", "2", strategy("{\"type\":\"rolling\",\"mode\":\"in-place\","
        + "\"maxUnavailable\":1}")), Progress.SLOTS, slots);
    Observed o = Fixtures.world("a:2:H, b:1:H", split("1=1", "2=1"));
    PlanContext ctx = new PlanContext(spec(3), r, new Observed(List.of("a", "b"), o.instances(), o.route(), o.nowMs(),
        o.metrics()));

    Decision d = SuspectGuard.apply(ctx, Planners.plan(ctx));

    assertThat(d.actions()).noneMatch(a -> a instanceof Action.StartInstance s && s.agentId().equals("c"));
    assertThat(d.release().progress().getJsonArray(Progress.SLOTS)).isEmpty();
  }

  /** While the slot's agent is only suspect, the slot waits: no start is sent to it, nothing is placed elsewhere. */
  @Test
  void anInPlaceSlotOnAnAgentThatDoesNotAnswerWaits() {
    io.vertx.core.json.JsonArray slots = new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
        .put("agent", "c").put("port", 20009).put("old", "shop-1-c-20009"));
    Release r = PlanContext.with(release("1", "2", strategy("{\"type\":\"rolling\",\"mode\":\"in-place\","
        + "\"maxUnavailable\":1}")), Progress.SLOTS, slots);
    Observed o = Fixtures.world("a:2:H, b:1:H", split("1=1", "2=1"));
    PlanContext ctx = new PlanContext(spec(3), r, new Observed(List.of("a", "b"), o.instances(), o.route(), o.nowMs(),
        o.metrics(), List.of("c")));

    Decision d = SuspectGuard.apply(ctx, Planners.plan(ctx));

    assertThat(d.actions()).isEmpty();
    assertThat(d.blocked()).isTrue();
    assertThat(d.release().progress().getJsonArray(Progress.SLOTS)).isEqualTo(slots);
  }

  @Test
  void withEveryAgentAnsweringTheDecisionIsUntouched() {
    PlanContext ctx = new PlanContext(spec(2), release("1", "2", strategy("{\"type\":\"rolling\"}")),
        Fixtures.world("a:2:H, b:2:H", split("2=1")));
    Decision planned = Planners.plan(ctx);

    assertThat(SuspectGuard.apply(ctx, planned)).isSameAs(planned);
  }
}
