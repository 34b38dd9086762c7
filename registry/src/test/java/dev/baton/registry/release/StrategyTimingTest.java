package dev.baton.registry.release;

import static dev.baton.registry.release.Fixtures.NOW;
import static dev.baton.registry.release.Fixtures.release;
import static dev.baton.registry.release.Fixtures.spec;
import static dev.baton.registry.release.Fixtures.split;
import static dev.baton.registry.release.Fixtures.strategy;
import static dev.baton.registry.release.Fixtures.words;
import static dev.baton.registry.release.Fixtures.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** minHealthySeconds for canary and blue-green, and the progress deadline of a release or of the registry. */
class StrategyTimingTest {

  /** Each strategy with a new instance ready: nothing counts before it stayed ready 5 s, then the step goes on. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      canary step     | {"type":"canary","steps":[{"weight":50}],"minHealthySeconds":5}        | 0 | 2 | a:1:H, b:1:H, c:2:H | shop-2-c-20002 | route 1=50,2=50
      canary promoted | {"type":"canary","steps":[{"weight":50}],"minHealthySeconds":5}        | 1 | 1 | a:1:H, b:2:H        | shop-2-b-20001 | route 2=100
      blue-green      | {"type":"blue-green","minHealthySeconds":5}                            | 0 | 1 | a:1:H, b:2:H        | shop-2-b-20001 | route 1=100 +rule->2
      """)
  void aNewInstanceCountsOnlyAfterItStayedReadyMinHealthySeconds(String what, String strategy, int step, int desired,
                                                                 String instances, String fresh, String then) {
    Release r = release("1", "2", strategy(strategy)).withStep(step);
    Decision first = Planners.plan(new PlanContext(spec(desired), r, world(instances, split("1=1"))));
    assertThat(first.actions()).isEmpty();
    assertThat(first.blocked()).as("waiting on the world: the progress deadline runs").isTrue();
    assertThat(first.release().message()).contains("to stay ready 5s (minHealthySeconds; 0/");
    long seen = first.release().progress().getJsonObject(Progress.HEALTHY_SINCE).getLong(fresh);
    assertThat(seen).isEqualTo(NOW);

    Decision early = Planners.plan(new PlanContext(spec(desired), first.release(),
        world(instances, split("1=1"), NOW + 4_999, MetricsView.NONE)));
    assertThat(early.actions()).isEmpty();
    Decision matured = Planners.plan(new PlanContext(spec(desired), first.release(),
        world(instances, split("1=1"), NOW + 5_000, MetricsView.NONE)));
    assertThat(words(matured)).containsExactly(then);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      canary     | {"type":"canary","steps":[{"weight":50}],"minHealthySeconds":5}
      blue-green | {"type":"blue-green","minHealthySeconds":5}
      """)
  void anInstanceThatStopsBeingReadyStartsItsCountAgain(String what, String strategy) {
    Release r = release("1", "2", strategy(strategy));
    Decision first = Planners.plan(new PlanContext(spec(1), r, world("a:1:H, b:2:H", split("1=1"))));
    Decision flapped = Planners.plan(new PlanContext(spec(1), first.release(),
        world("a:1:H, b:2:U", split("1=1"), NOW + 3_000, MetricsView.NONE)));
    assertThat(flapped.release().progress().getJsonObject(Progress.HEALTHY_SINCE)).isEmpty();
    Decision back = Planners.plan(new PlanContext(spec(1), flapped.release(),
        world("a:1:H, b:2:H", split("1=1"), NOW + 6_000, MetricsView.NONE)));
    assertThat(back.actions()).as("ready again at +6 s: counts from there, not from +0").isEmpty();
    assertThat(back.release().progress().getJsonObject(Progress.HEALTHY_SINCE).getLong("shop-2-b-20001"))
        .isEqualTo(NOW + 6_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      canary     | {"type":"canary","steps":[{"weight":50}]}              | route 1=50,2=50
      blue-green | {"type":"blue-green"}                                  | route 1=100 +rule->2
      """)
  void withoutMinHealthySecondsAReadyInstanceCountsAtOnceAndNothingIsTracked(String what, String strategy, String then) {
    Decision d = Planners.plan(new PlanContext(spec(1), release("1", "2", strategy(strategy)),
        world("a:1:H, b:2:H", split("1=1"))));
    assertThat(words(d)).containsExactly(then);
    assertThat(d.release().progress().containsKey(Progress.HEALTHY_SINCE)).isFalse();
  }

  /**
   * The deadline: the release's own when its strategy has one, else the registry's; blocked this long it aborts,
   * already aborting it fails; the message names where the deadline came from.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      own deadline not yet            | 30   | 600 | 30000  | false | PROGRESSING | -                                                  | true
      own deadline passed             | 30   | 600 | 30001  | false | PROGRESSING | no progress for 30s (progress deadline, the release's strategy.progressDeadlineSeconds) | false
      own shorter than the registry's | 10   | 600 | 10001  | false | PROGRESSING | no progress for 10s (progress deadline, the release's | false
      own longer than the registry's  | 3600 | 600 | 600001 | false | PROGRESSING | -                                                  | true
      registry's passed               |      | 600 | 600001 | false | PROGRESSING | no progress for 600s (progress deadline, the registry's BATON_PROGRESS_DEADLINE_SECONDS) | false
      registry's, already aborting    |      | 600 | 600001 | true  | FAILED      | rollback did not complete: no progress for 600s    | false
      """)
  void aBlockedReleaseAbortsPastTheDeadlineItRunsWith(String what, Integer own, int registrySeconds, long blockedMs,
                                                      boolean aborting, ReleasePhase phase, String message,
                                                      boolean stillCounting) {
    JsonObject s = new JsonObject("{\"type\":\"rolling\"}");
    if (own != null) {
      s.put("progressDeadlineSeconds", own);
    }
    Release r = PlanContext.with(release("1", "2", strategy(s.encode())), Progress.BLOCKED_SINCE, NOW);
    if (aborting) {
      r = PlanContext.with(r, Progress.ABORT, "operator");
    }
    Release out = ProgressDeadline.apply(Decision.blocked(r.withMessage("waiting for 1 ready instance(s)")), r,
        NOW + blockedMs, registrySeconds * 1000L, "t");
    assertThat(out.phase()).isEqualTo(phase);
    assertThat(out.progress().containsKey(Progress.BLOCKED_SINCE)).isEqualTo(stillCounting);
    if (!message.equals("-")) {
      assertThat(out.message()).contains(message).endsWith("waiting for 1 ready instance(s)");
      assertThat(aborting || out.progress().getString(Progress.ABORT).contains(message)).isTrue();
    } else {
      assertThat(out.progress().containsKey(Progress.ABORT)).isFalse();
    }
  }

  @org.junit.jupiter.api.Test
  void aReleaseThatIsNotBlockedClearsItsClockAndOneThatJustBlockedStartsIt() {
    Release r = release("1", "2", strategy("{\"type\":\"rolling\",\"progressDeadlineSeconds\":10}"));
    Release started = ProgressDeadline.apply(Decision.blocked(r), r, NOW, 600_000, "t");
    assertThat(started.progress().getLong(Progress.BLOCKED_SINCE)).isEqualTo(NOW);
    Release cleared = ProgressDeadline.apply(Decision.idle(started), started, NOW + 60_000, 600_000, "t");
    assertThat(cleared.progress().containsKey(Progress.BLOCKED_SINCE)).isFalse();
    assertThat(cleared.phase()).isEqualTo(ReleasePhase.PROGRESSING);
  }
}
