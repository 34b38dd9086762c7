package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.GroupLink;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.group.GroupGuard;
import dev.baton.registry.release.group.GroupView;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a member of a release group moves, waits for the others, or aborts with them: pure tables. */
class GroupGuardTest {

  static final String G = "g-1";
  /** Two steps below 100%, then 100%: promotion at step 2. */
  static final String THREE = "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":5},"
      + "{\"weight\":50,\"pauseSeconds\":5},{\"weight\":100}]}";
  /** One step below 100%, then 100%: promotion at step 1. */
  static final String TWO = "{\"type\":\"canary\",\"steps\":[{\"weight\":20,\"pauseSeconds\":5},{\"weight\":100}]}";
  static final String BG = "{\"type\":\"blue-green\",\"autoPromoteSeconds\":0}";
  static final String ROLLING = "{\"type\":\"rolling\"}";

  /** A member of {@code G} at {@code step}, having finished {@code heldAt} (-1: none). */
  static Release member(String app, String strategy, ReleasePhase phase, int step, int heldAt) {
    return new Release(app + ".1", app, "1.0.0", "2.0.0", strategy(strategy), phase, step, "m",
        List.of(new HistoryEntry("t", phase, "m")), new JsonObject(), ReleaseConfig.NONE, List.of(),
        new GroupLink(G, heldAt));
  }

  static GroupView peers(Release... others) {
    return new GroupView(G, List.of(others).stream().map(GroupView.Member::of).toList());
  }

  /** The guard over a planner that moves {@code r} to its next step. */
  static Decision stepOn(Release r, GroupView view) {
    PlanContext ctx = new PlanContext(spec(1), r, world("a:1.0.0:H", split("1.0.0=1"), NOW, MetricsView.NONE));
    return GroupGuard.apply(ctx, Decision.idle(r.withStep(r.step() + 1)), view);
  }

  @Test
  void aMemberThatFinishedItsStepWaitsThereUntilEveryOtherMemberFinishedTheSameStep() {
    Release shop = member("shop", THREE, ReleasePhase.PROGRESSING, 0, -1);
    Decision held = stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1)));
    assertThat(held.release().step()).isZero();
    assertThat(held.release().group().heldAt()).isZero();
    assertThat(held.release().message()).isEqualTo("group g-1: step 1/3 done; waiting for billing (step 1/3: m)");
    assertThat(held.release().history()).last().extracting(HistoryEntry::message).isEqualTo(held.release().message());
    // billing finished step 0 too (held there): shop moves, and so does billing at its next look.
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, 0))).release().step()).isOne();
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 1, 0))).release().step()).isOne();
  }

  @Test
  void aHeldMemberKeepsOneHistoryEntryWhileWhatItWaitsForChanges() {
    Release shop = member("shop", THREE, ReleasePhase.PROGRESSING, 0, -1);
    Release once = stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1))).release();
    Release billing = member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1).withMessage("step 1/3 (10%): "
        + "inconclusive: 9 canary requests, 20 needed");
    Release twice = stepOn(once, peers(billing)).release();
    assertThat(twice.history()).hasSameSizeAs(once.history());
    assertThat(twice.message()).endsWith("waiting for billing (step 1/3: inconclusive: 9 canary requests, 20 needed)");
  }

  @Test
  void noMemberReachesItsPromotionBeforeEveryMemberFinishedEveryStepBelow100() {
    // shop has one partial step, billing two: shop waits at its step 1/2 until billing finished its step 2/3.
    Release shop = member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1);
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, 0))).release().step())
        .as("billing finished step 1 of 3, not its last below 100%").isZero();
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 1, 0))).release().message())
        .contains("step 1/2 done, ready to promote; waiting for billing (step 2/3");
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 1, 1))).release().step()).isOne();
    // billing, meanwhile, moves through its step 1 once shop finished its only partial step.
    Release billing = member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1);
    assertThat(stepOn(billing, peers(member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1))).release().step()).isZero();
    assertThat(stepOn(billing, peers(member("shop", TWO, ReleasePhase.PROGRESSING, 0, 0))).release().step()).isOne();
  }

  @Test
  void aBlueGreenSwitchWaitsForTheOthersAndARollingMemberStartsOnlyWhenEveryoneIsReadyToPromote() {
    Release green = member("auth", BG, ReleasePhase.PROGRESSING, 0, -1);
    Release canary = member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1);
    assertThat(stepOn(green, peers(canary)).release().step()).isZero();
    assertThat(stepOn(green, peers(member("shop", TWO, ReleasePhase.PROGRESSING, 0, 0))).release().step()).isOne();

    Release rolling = member("web", ROLLING, ReleasePhase.PROGRESSING, 0, -1);
    PlanContext ctx = new PlanContext(spec(1), rolling, world("a:1.0.0:H", split("1.0.0=1"), NOW, MetricsView.NONE));
    Decision start = Decision.act(rolling, new Action.StartInstance("a", "2.0.0", null));
    Decision held = GroupGuard.apply(ctx, start, peers(canary));
    assertThat(held.actions()).isEmpty();
    assertThat(held.release().message()).isEqualTo("group g-1: ready to start, ready to promote; waiting for shop"
        + " (step 1/2: m)");
    assertThat(GroupGuard.apply(ctx, start, peers(member("shop", TWO, ReleasePhase.PROGRESSING, 1, -1))).actions())
        .hasSize(1);
    // The canary does not wait for the rolling member: it has no step below 100% to finish.
    assertThat(stepOn(canary, peers(rolling)).release().step()).isOne();
  }

  @Test
  void aPromotingMemberASucceededPeerAndAnAbortingDecisionAreNeverHeld() {
    Release at100 = member("shop", TWO, ReleasePhase.PROGRESSING, 1, 0);
    assertThat(stepOn(at100, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1))).release().step())
        .isEqualTo(2);
    Release shop = member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1);
    assertThat(stepOn(shop, peers(member("billing", THREE, ReleasePhase.SUCCEEDED, 3, -1))).release().step()).isOne();
    PlanContext ctx = new PlanContext(spec(1), shop, world("a:1.0.0:H", split("1.0.0=1"), NOW, MetricsView.NONE));
    Decision abort = Decision.idle(PlanContext.with(shop, Progress.ABORT, "analysis failed"));
    assertThat(GroupGuard.apply(ctx, abort, peers(member("billing", THREE, ReleasePhase.PROGRESSING, 0, -1))))
        .isSameAs(abort);
  }

  @Test
  void theRealCanaryPlannerMovingOnIsHeldAndTheHeldMemberGoesOnBeingLookedAt() {
    Release shop = PlanContext.with(member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1), Progress.STEP_STARTED_AT,
        NOW - 10_000);
    PlanContext ctx = new PlanContext(spec(1), shop, world("a:1.0.0:H, b:2.0.0:H", split("1.0.0=80", "2.0.0=20"), NOW,
        MetricsView.NONE));
    Decision planned = Planners.plan(ctx);
    assertThat(planned.release().step()).as("the pause is over: the planner moves on").isOne();
    Decision held = GroupGuard.apply(ctx, planned, peers(member("billing", TWO, ReleasePhase.PAUSED, 0, -1)));
    assertThat(held.release().step()).isZero();
    assertThat(held.release().progress().getLong(Progress.STEP_STARTED_AT)).as("the step keeps its timer")
        .isEqualTo(NOW - 10_000);
    assertThat(held.release().message()).endsWith("waiting for billing (step 1/2: paused: m)");
  }

  /** Which peer state aborts a member, and what its history says. */
  @Test
  void aMemberAbortingAbortedOrFailedAbortsEveryOtherMemberNamingItAndItsReason() {
    Release shop = member("shop", TWO, ReleasePhase.PROGRESSING, 0, -1);
    Release billingFails = PlanContext.with(member("billing", TWO, ReleasePhase.PROGRESSING, 0, -1), Progress.ABORT,
        "analysis failed: canary error rate 30.00% (...)");
    Release aborted = GroupGuard.propagate(shop, peers(billingFails), "t");
    assertThat(aborted.progress().getString(Progress.ABORT))
        .isEqualTo("group g-1: member billing aborting: analysis failed: canary error rate 30.00% (...)");
    assertThat(aborted.message()).isEqualTo("aborting: " + aborted.progress().getString(Progress.ABORT));
    assertThat(aborted.phase()).isEqualTo(ReleasePhase.PROGRESSING);

    Release paused = PlanContext.with(member("shop", TWO, ReleasePhase.PAUSED, 0, -1), Progress.PAUSED, true);
    Release failed = member("billing", TWO, ReleasePhase.FAILED, 0, -1).withMessage("rollback failed 3 times");
    Release fromPause = GroupGuard.propagate(paused, peers(failed), "t");
    assertThat(fromPause.progress().containsKey(Progress.PAUSED)).as("an operator's pause does not hold it").isFalse();
    assertThat(fromPause.progress().getString(Progress.ABORT)).isEqualTo("group g-1: member billing failed: rollback"
        + " failed 3 times");

    // A third member names the member that failed first, not the one that followed it.
    Release followed = PlanContext.with(member("web", TWO, ReleasePhase.PROGRESSING, 0, -1), Progress.ABORT,
        aborted.progress().getString(Progress.ABORT));
    assertThat(GroupGuard.propagate(member("auth", TWO, ReleasePhase.PROGRESSING, 0, -1), peers(followed, billingFails),
        "t").progress().getString(Progress.ABORT)).isEqualTo(aborted.progress().getString(Progress.ABORT));
    assertThat(GroupGuard.propagate(member("auth", TWO, ReleasePhase.PROGRESSING, 0, -1), peers(followed), "t")
        .progress().getString(Progress.ABORT)).as("never nested").isEqualTo(aborted.progress().getString(Progress.ABORT));

    assertThat(GroupGuard.propagate(shop, peers(member("billing", TWO, ReleasePhase.SUCCEEDED, 2, -1)), "t")).isNull();
    assertThat(GroupGuard.propagate(shop, GroupView.NONE, "t")).isNull();
    assertThat(GroupGuard.propagate(aborted, peers(billingFails), "t")).as("already aborting").isNull();
  }
}
