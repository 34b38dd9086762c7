package dev.baton.registry.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.GroupLink;
import dev.baton.common.model.GroupPhase;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.Strategy;
import dev.baton.registry.release.PlanContext;
import dev.baton.registry.release.Progress;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group's phase, message and history from its members' changes: pure tables. */
class GroupHistoryTest {

  static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":20,\"pauseSeconds\":5},{\"weight\":100}]}";

  static Release member(String app, ReleasePhase phase, int step, int heldAt, String message) {
    return new Release(app + ".1", app, "1.0.0", "2.0.0", Strategy.fromJson(new JsonObject(CANARY)), phase, step,
        message, List.of(new HistoryEntry("t", phase, message)), new JsonObject(), ReleaseConfig.NONE, List.of(),
        new GroupLink("g-1", heldAt));
  }

  static ReleaseGroup group(Release... members) {
    List<Release> all = List.of(members);
    return new ReleaseGroup("g-1", "t0", all.stream().map(Release::id).toList(), all.stream().map(Release::app).toList(),
        GroupPhase.PROGRESSING, "created", List.of(new ReleaseGroup.Entry("t0", GroupPhase.PROGRESSING, null, "created")),
        all.stream().map(GroupHistory::seen).toList());
  }

  @Test
  void nothingNewChangesNothingAndEachMembersStepWaitAndPauseIsOneEntry() {
    Release shop = member("shop", ReleasePhase.PROGRESSING, 0, -1, "m");
    Release bill = member("bill", ReleasePhase.PROGRESSING, 0, -1, "m");
    ReleaseGroup g = GroupHistory.next(group(shop, bill), List.of(shop, bill), "t1");
    assertThat(GroupHistory.next(g, List.of(shop, bill), "t2")).isSameAs(g);

    Release shopWaits = member("shop", ReleasePhase.PROGRESSING, 0, 0, "group g-1: step 1/2 done; waiting for bill");
    Release billPaused = member("bill", ReleasePhase.PAUSED, 0, -1, "paused by operator");
    ReleaseGroup next = GroupHistory.next(g, List.of(shopWaits, billPaused), "t3");
    assertThat(next.history().subList(g.history().size(), next.history().size()))
        .extracting(ReleaseGroup.Entry::message)
        .containsExactly("shop finished step 1/2, waiting for the group", "bill paused: paused by operator",
            "paused: shop step 1/2 waiting, bill step 1/2 paused");
    assertThat(next.phase()).as("every running member paused or waiting for the group").isEqualTo(GroupPhase.PAUSED);

    ReleaseGroup moved = GroupHistory.next(next, List.of(member("shop", ReleasePhase.PROGRESSING, 1, 0, "m"),
        member("bill", ReleasePhase.PROGRESSING, 1, 0, "m")), "t4");
    assertThat(moved.phase()).isEqualTo(GroupPhase.PROGRESSING);
    assertThat(moved.history()).extracting(ReleaseGroup.Entry::message)
        .contains("shop at step 2/2", "bill progressing: m", "shop step 2/2 running, bill step 2/2 running");
  }

  @Test
  void anAbortNamesTheMemberThatFailedFirstAndTheGroupEndsOnlyWhenEveryMemberEnded() {
    Release shop = member("shop", ReleasePhase.PROGRESSING, 0, 0, "m");
    Release bill = member("bill", ReleasePhase.PROGRESSING, 0, -1, "m");
    ReleaseGroup g = group(shop, bill);
    Release billAborting = PlanContext.with(bill, Progress.ABORT, "analysis failed: canary error rate 30%");
    Release shopFollows = PlanContext.with(shop, Progress.ABORT, "group g-1: member bill aborting: analysis failed");
    ReleaseGroup aborting = GroupHistory.next(g, List.of(shopFollows, billAborting), "t1");
    assertThat(aborting.phase()).isEqualTo(GroupPhase.PROGRESSING);
    assertThat(aborting.message()).isEqualTo("aborting: member bill aborting: analysis failed: canary error rate 30%");
    assertThat(aborting.history()).extracting(ReleaseGroup.Entry::message)
        .contains("shop aborting with the group", "bill aborting: analysis failed: canary error rate 30%");

    Release billEnded = billAborting.transition(ReleasePhase.ABORTED, "aborted: analysis failed", "t2");
    ReleaseGroup half = GroupHistory.next(aborting, List.of(shopFollows, billEnded), "t2");
    assertThat(half.phase()).as("shop still rolls back").isEqualTo(GroupPhase.PROGRESSING);
    ReleaseGroup ended = GroupHistory.next(half, List.of(shopFollows.transition(ReleasePhase.ABORTED, "aborted", "t3"),
        billEnded), "t3");
    assertThat(ended.phase()).isEqualTo(GroupPhase.ABORTED);
    assertThat(ended.message()).isEqualTo("aborted: member bill aborted: analysis failed: canary error rate 30%");
    assertThat(ended.history()).last().satisfies(e -> {
      assertThat(e.app()).isNull();
      assertThat(e.phase()).isEqualTo(GroupPhase.ABORTED);
    });
    Release failed = billEnded.transition(ReleasePhase.FAILED, "rollback failed 3 times", "t3");
    assertThat(GroupHistory.phase(List.of(shopFollows.transition(ReleasePhase.ABORTED, "a", "t"), failed)))
        .isEqualTo(GroupPhase.FAILED);
    assertThat(GroupHistory.phase(List.of(member("shop", ReleasePhase.SUCCEEDED, 2, 0, "ok"),
        member("bill", ReleasePhase.SUCCEEDED, 2, 0, "ok")))).isEqualTo(GroupPhase.SUCCEEDED);
  }
}
