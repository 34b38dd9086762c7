package dev.baton.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RollingStrategy;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code versions} of the app view: the config each running version has, secrets redacted. */
class AppViewVersionsTest {

  private static final AppSpec SPEC = AppSpec.fromJson("shop", new JsonObject().put("instances", 2)
      .put("env", new JsonObject().put("REGION", "eu").put("DB_PASSWORD", "spec-secret")));

  private static JsonObject instance(String id, String version) {
    return new JsonObject().put("id", id).put("version", version).put("agent", "agent-1").put("status", "passing");
  }

  @Test
  void eachRunningVersionShowsTheEnvAndCommandItsInstancesGotWithSecretsRedacted() {
    ConfigOverrides flag = new ConfigOverrides(Map.of("FLAG", "x", "API_TOKEN", "t0ken"),
        List.of("java", "--api-key=abc", "-jar", "{artifact}"));
    List<Release> history = List.of(
        new Release("shop.1", "shop", null, "1.0.0", RollingStrategy.defaults(), ReleasePhase.SUCCEEDED, 0, "m",
            List.of(), new JsonObject()),
        new Release("shop.2", "shop", "1.0.0", "2.0.0", RollingStrategy.defaults(), ReleasePhase.PROGRESSING, 0, "m",
            List.of(), new JsonObject(), new ReleaseConfig(flag, ConfigOverrides.NONE)));
    JsonArray instances = new JsonArray().add(instance("i1", "1.0.0")).add(instance("i2", "2.0.0"))
        .add(instance("i3", "1.0.0"));

    JsonObject view = AppView.of(SPEC, RoutePolicy.single("shop", 3, "1.0.0"), instances, history, Optional.empty(),
        Map.of(), Map.of(), 0L);

    JsonArray versions = view.getJsonArray("versions");
    System.out.println(versions.encodePrettily());
    assertThat(versions).hasSize(2);
    JsonObject current = versions.getJsonObject(0);
    assertThat(current.getString("version")).isEqualTo("1.0.0");
    assertThat(current.getBoolean("current")).isTrue();
    assertThat(current.getInteger("instances")).isEqualTo(2);
    assertThat(current.getJsonObject("env").getMap()).isEqualTo(Map.of("REGION", "eu", "DB_PASSWORD", "***"));
    assertThat(current.getJsonArray("command").getList()).isEqualTo(AppSpec.DEFAULT_COMMAND);
    JsonObject canary = versions.getJsonObject(1);
    assertThat(canary.getString("version")).isEqualTo("2.0.0");
    assertThat(canary.getJsonObject("env").getMap()).isEqualTo(Map.of("REGION", "eu", "DB_PASSWORD", "***",
        "FLAG", "x", "API_TOKEN", "***"));
    assertThat(canary.getJsonArray("command").getList()).containsExactly("java", "--api-key=***", "-jar", "{artifact}");
    assertThat(canary.getJsonObject("overrides").getJsonObject("env").getMap())
        .isEqualTo(Map.of("FLAG", "x", "API_TOKEN", "***"));
    assertThat(view.getJsonObject("activeRelease").getJsonObject("config").getJsonObject("env").getString("API_TOKEN"))
        .as("the active release is served redacted too").isEqualTo("***");
    assertThat(versions.encode()).doesNotContain("t0ken", "abc", "spec-secret");
    assertThat(view.getJsonObject("activeRelease").encode()).doesNotContain("t0ken", "abc");
    // The spec itself is served as stored: clients PUT it back (baton app delete scales it to 0 that way).
    assertThat(view.getJsonObject("spec").getJsonObject("env").getString("DB_PASSWORD")).isEqualTo("spec-secret");
  }

  @Test
  void aSucceededBlueGreenReleaseShowsWhichVersionItKeepsWarmAndUntilWhen() {
    long until = 1_800_000_000_000L;
    List<Release> history = List.of(new Release("shop.3", "shop", "1.0.0", "2.0.0",
        dev.baton.common.model.Strategy.fromJson(new JsonObject().put("type", "blue-green")), ReleasePhase.SUCCEEDED, 1,
        "m", List.of(), new JsonObject().put("blueWarmUntil", until)));
    JsonArray instances = new JsonArray().add(instance("i1", "2.0.0")).add(instance("i2", "1.0.0"));

    JsonObject warm = AppView.of(SPEC, RoutePolicy.single("shop", 3, "2.0.0"), instances, history, Optional.empty(),
        Map.of(), Map.of(), until - 1).getJsonObject("warm");
    assertThat(warm.getString("version")).isEqualTo("1.0.0");
    assertThat(warm.getString("until")).isEqualTo(java.time.Instant.ofEpochMilli(until).toString());
    assertThat(AppView.of(SPEC, RoutePolicy.single("shop", 3, "2.0.0"), instances, history, Optional.empty(),
        Map.of(), Map.of(), until).getValue("warm")).isNull();
  }
}
