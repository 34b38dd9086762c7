package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Strategy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Releases stored mid-flight by the previous version (progress as an untyped JSON bag), one per strategy and state,
 * each with the decision that version's planners made at its next look (src/test/resources/releases/previous, written
 * by running those planners). This version loads each, writes it back byte for byte, rebuilds its progress from the
 * typed records alone, and decides the same: same actions, same release to persist.
 */
class PreviousVersionReleasesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rolling-in-place", "rolling-surge", "rolling-aborting", "canary-analysis", "canary-paused",
      "canary-promoted", "canary-stepping-down", "blue-green-ready", "blue-green-promoted"})
  void loadsRoundTripsAndDecidesAsBefore(String name) throws IOException {
    JsonObject fixture = load(name);
    JsonObject stored = fixture.getJsonObject("release");
    Release r = Release.fromJson(stored);

    ReleaseState state = ReleaseState.of(r);
    assertThat(state.applyTo(r)).as("nothing changed: the same release").isSameAs(r);
    assertThat(state.applyTo(r.withProgress(new JsonObject(r.progress().encode()))).toJson().encode())
        .as("written back byte for byte").isEqualTo(asThisVersion(stored).encode());
    assertThat(state.applyTo(r).progress().encode()).isEqualTo(stored.getJsonObject("progress").encode());
    assertThat(normal(ProgressCodec.merge(new JsonObject(), state)))
        .as("the typed records alone give the same keys and shapes").isEqualTo(normal(stored.getJsonObject("progress")));

    JsonObject look = fixture.getJsonObject("look");
    Decision d = decide(r, fixture.getInteger("instances"), look);
    JsonObject decided = fixture.getJsonObject("decided");
    assertThat(d.actions().stream().map(Fixtures::word).toList())
        .isEqualTo(decided.getJsonArray("actions").getList());
    assertThat(d.blocked()).isEqualTo(decided.getBoolean("blocked"));
    assertThat(normal(d.release().toJson())).isEqualTo(normal(asThisVersion(decided.getJsonObject("release"))));
  }

  /** As the controller decides ({@link ReleaseController}): planner, suspect agents, gates, progress deadline. */
  private static Decision decide(Release r, int instances, JsonObject look) {
    JsonArray canary = look.getJsonArray("canary");
    JsonArray stable = look.getJsonArray("stable");
    MetricsView metrics = (app, version, from, to) -> {
      JsonArray s = version.equals(r.toVersion()) ? canary : stable;
      return new MetricsView.Sample(s.getLong(0), s.getLong(1), s.getLong(2));
    };
    long now = look.getLong("nowMs");
    JsonObject route = look.getJsonObject("route");
    Observed world = Fixtures.world(look.getString("instances"), route == null ? null : RoutePolicy.fromJson(route),
        now, metrics);
    PlanContext ctx = new PlanContext(AppSpec.fromJson("shop", new JsonObject().put("instances", instances)), r, world);
    GateGuard.Gated g = GateGuard.apply(ctx, SuspectGuard.apply(ctx, Planners.plan(ctx)), "reg-1/aaaa");
    Release next = ProgressDeadline.apply(g.decision(), r, now, 600_000, Instant.ofEpochMilli(now).toString());
    return new Decision(next, g.decision().actions(), g.decision().blocked());
  }

  /**
   * {@code release} with its strategy as this version writes it: fields added to strategies since (with their
   * defaults, e.g. {@code bakeSeconds: 0}) are written out; the progress and everything else are as stored.
   */
  private static JsonObject asThisVersion(JsonObject release) {
    return release.copy().put("strategy", Strategy.fromJson(release.getJsonObject("strategy")).toJson());
  }

  /** The JSON as parsed from its text: numbers typed alike whichever way they were put. */
  private static JsonObject normal(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static JsonObject load(String name) throws IOException {
    try (InputStream in = PreviousVersionReleasesTest.class.getResourceAsStream("/releases/previous/" + name + ".json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

}
