package dev.baton.registry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.RoutePolicy;
import dev.baton.registry.release.Action;
import dev.baton.registry.release.MetricsView;
import dev.baton.registry.release.Observed;
import dev.baton.registry.release.ObservedInstance;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReconcilePlannerTest {

  private static final long NOW = 1_000_000L;

  /**
   * live agents | instances (agent:version:state, H ready, S starting, U healthy but not passing; an agent not
   * live is suspect, its instances from Consul) | desired | status | actions ({@code start v@agent}, {@code stop id}).
   * The current version is 1.
   */
  @ParameterizedTest(name = "[{0}] {1} want {2} -> {3} {4}")
  @CsvSource(delimiter = '|', value = {
      // Nothing to do.
      "a b   | a:1:H, b:1:H                 | 2 | OK          | ",
      // A lost host took an instance: replaced on a live agent.
      "a b   | a:1:H                        | 2 | RECONCILING | start 1@b",
      "a b c | a:1:H                        | 3 | RECONCILING | start 1@b, start 1@c",
      // No host holds more than its share: ceil(3 / 2) = 2.
      "a b   | a:1:H, a:1:H                 | 3 | RECONCILING | start 1@b",
      "a b   | a:1:H, a:1:H, b:1:H, b:1:H   | 5 | RECONCILING | start 1@a",
      "a     | a:1:H                        | 3 | RECONCILING | start 1@a, start 1@a",
      // No live agent: degraded.
      "      |                              | 2 | DEGRADED    | ",
      // A suspect agent's instances count as possibly serving: nothing is started in their place.
      "a     | a:1:H, b:1:H                 | 2 | OK          | ",
      "a     | a:1:H, b:1:U                 | 2 | RECONCILING | ",
      // Starting instances count; the reconciler waits for them.
      "a b   | a:1:H, b:1:S                 | 2 | RECONCILING | ",
      // Surplus: the most loaded agent's first, not-ready first, never below the desired count ready.
      "a b   | a:1:H, a:1:H, b:1:H          | 2 | RECONCILING | stop shop-1-a-20000",
      "a b   | a:1:H, a:1:S, b:1:H          | 2 | RECONCILING | stop shop-1-a-20001",
      "a b   | a:1:H, b:1:H, b:1:U          | 2 | RECONCILING | stop shop-1-b-20002",
      "a b   | a:1:H, a:1:U, a:1:U          | 1 | RECONCILING | stop shop-1-a-20001, stop shop-1-a-20002",
      "a b   | a:1:U, a:1:U, b:1:H          | 1 | RECONCILING | stop shop-1-a-20000, stop shop-1-a-20001",
      // Another version left over (e.g. re-adopted by a returning agent) stops once the desired count is ready.
      "a b   | a:1:H, b:1:H, b:0:H          | 2 | RECONCILING | stop shop-0-b-20002",
      "a b   | a:1:H, b:0:H                 | 2 | RECONCILING | start 1@b",
      // A surplus on a suspect agent waits for it; it never makes a live instance surplus.
      "a b   | a:1:H, b:1:H, c:1:H          | 2 | RECONCILING | ",
      "a b   | a:1:H, b:1:H, c:0:H          | 2 | OK          | ",
      // Scaled to zero.
      "a b   | a:1:H, b:1:H                 | 0 | RECONCILING | stop shop-1-a-20000, stop shop-1-b-20001",
  })
  void keepsTheDesiredCountOfPassingInstancesOfTheCurrentVersion(String live, String instances, int desired,
                                                                 AppHealth status, String actions) {
    ReconcilePlanner.Plan plan = ReconcilePlanner.plan(spec(desired), "1", world(live, instances), 0, null);

    assertThat(words(plan)).as(plan.reason()).isEqualTo(actions == null ? "" : actions);
    assertThat(plan.status()).as(plan.reason()).isEqualTo(status);
  }

  @Test
  void aFailedStartBacksOffAndTheAppIsDegradedWithTheReason() {
    Observed o = world("a b", "a:1:H");

    ReconcilePlanner.Plan waiting = ReconcilePlanner.plan(spec(2), "1", o, NOW + 4_000, "agent b: artifact_missing");
    ReconcilePlanner.Plan retried = ReconcilePlanner.plan(spec(2), "1", o, NOW, "agent b: artifact_missing");

    assertThat(waiting.status()).isEqualTo(AppHealth.DEGRADED);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.reason()).contains("1 of 2", "artifact_missing", "retrying at 1970-01-01T00:16:44Z");
    assertThat(words(retried)).isEqualTo("start 1@b");
    assertThat(retried.status()).as("still degraded until a start succeeds").isEqualTo(AppHealth.DEGRADED);
    assertThat(retried.reason()).contains("retrying after: agent b: artifact_missing");
  }

  @Test
  void theReasonNamesWhatIsMissingAndWhy() {
    assertThat(ReconcilePlanner.plan(spec(2), "1", world("", "a:1:H"), 0, null).reason())
        .isEqualTo("1 of 2 instance(s) of 1 passing; no live agent to start 1 on");
    assertThat(ReconcilePlanner.plan(spec(2), "1", world("a", "a:1:H, b:1:U"), 0, null).reason())
        .contains("agent(s) b, which do not answer", "BATON_HOST_LOST_MS");
  }

  /** route split | current version (none: a split or no route). */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1=100       | 1",
      "1=50, 2=50  | ",
      "            | "})
  void theCurrentVersionIsTheOneTheRouteSendsEverythingTo(String split, String expected) {
    RoutePolicy route = null;
    if (split != null) {
      io.vertx.core.json.JsonArray weights = new io.vertx.core.json.JsonArray();
      Arrays.stream(split.split(",")).map(String::trim).forEach(w -> weights.add(new JsonObject()
          .put("version", w.split("=")[0]).put("weight", Integer.parseInt(w.split("=")[1]))));
      route = RoutePolicy.fromJson(new JsonObject().put("app", "shop").put("revision", 1).put("split", weights));
    }
    assertThat(ReconcilePlanner.currentVersion(route)).isEqualTo(expected);
  }

  @Test
  void blueKeptWarmByASucceededBlueGreenReleaseStaysUntilItsTimeThenStops() {
    Observed o = world("a b", "a:2:H, b:2:H, a:1:H, b:1:H, b:0:H");
    ReconcilePlanner.Warm warm = new ReconcilePlanner.Warm("1", NOW + 1);
    ReconcilePlanner.Plan kept = ReconcilePlanner.plan(spec(2), "2", o, 0, null, warm);
    assertThat(words(kept)).as("blue 1 stays; a leftover 0 does not").isEqualTo("stop shop-0-b-20004");
    ReconcilePlanner.Plan ok = ReconcilePlanner.plan(spec(2), "2", world("a b", "a:2:H, b:2:H, a:1:H, b:1:H"), 0, null,
        warm);
    assertThat(ok.status()).isEqualTo(AppHealth.OK);
    assertThat(ok.reason()).contains("2 instance(s) of 1 kept warm until");
    ReconcilePlanner.Plan over = ReconcilePlanner.plan(spec(2), "2", o, 0, null, new ReconcilePlanner.Warm("1", NOW));
    assertThat(words(over)).isEqualTo("stop shop-1-a-20002, stop shop-1-b-20003, stop shop-0-b-20004");
  }

  @Test
  void theWarmVersionIsTheLatestReleasesWhileItIsSucceededAndItsTimeHasNotPassed() {
    dev.baton.common.model.Release bg = dev.baton.common.model.Release.fromJson(new JsonObject()
        .put("id", "r1").put("app", "shop").put("fromVersion", "1").put("toVersion", "2").put("phase", "SUCCEEDED")
        .put("strategy", new JsonObject().put("type", "blue-green")).put("progress",
            new JsonObject().put(dev.baton.registry.release.Progress.BLUE_WARM_UNTIL, NOW + 5_000)));
    assertThat(ReconcilePlanner.Warm.of(List.of(bg), NOW)).isEqualTo(new ReconcilePlanner.Warm("1", NOW + 5_000));
    assertThat(ReconcilePlanner.Warm.of(List.of(bg), NOW + 5_000)).isNull();
    assertThat(ReconcilePlanner.Warm.of(List.of(), NOW)).isNull();
  }

  @Test
  void aShareIsTheCeilingOfInstancesOverLiveAgents() {
    assertThat(ReconcilePlanner.share(3, 2)).isEqualTo(2);
    assertThat(ReconcilePlanner.share(4, 2)).isEqualTo(2);
    assertThat(ReconcilePlanner.share(1, 3)).isEqualTo(1);
    assertThat(ReconcilePlanner.share(2, 0)).isZero();
  }

  private static AppSpec spec(int instances) {
    return AppSpec.fromJson("shop", new JsonObject().put("instances", instances));
  }

  private static Observed world(String live, String instances) {
    List<String> agents = live == null || live.isBlank() ? List.of() : Arrays.asList(live.trim().split("\\s+"));
    List<ObservedInstance> out = new ArrayList<>();
    int port = 20000;
    for (String s : instances == null || instances.isBlank() ? new String[0] : instances.split(",")) {
      String[] p = s.trim().split(":");
      InstanceState state = p[2].equals("S") ? InstanceState.STARTING : InstanceState.HEALTHY;
      String id = "shop-" + p[1] + "-" + p[0] + "-" + port;
      out.add(new ObservedInstance(p[0], new Instance(id, "shop", p[1], port++, 1, state, "t", null), p[2].equals("H")));
    }
    List<String> suspect = out.stream().map(ObservedInstance::agentId).filter(a -> !agents.contains(a)).distinct().toList();
    return new Observed(agents, out, null, NOW, MetricsView.NONE, suspect);
  }

  private static String words(ReconcilePlanner.Plan plan) {
    return String.join(", ", plan.actions().stream().map(a -> a instanceof Action.StartInstance s
        ? "start " + s.version() + "@" + s.agentId() : "stop " + ((Action.StopInstance) a).instanceId()).toList());
  }
}
