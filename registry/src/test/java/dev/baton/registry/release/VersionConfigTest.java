package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ArtifactRef;
import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RollingStrategy;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which config a version runs with, read from the app's releases (docs/ARCHITECTURE.md, "Config rolls back with the code"). */
class VersionConfigTest {

  private static final ConfigOverrides BLUE = new ConfigOverrides(Map.of("COLOR", "blue"), null);
  private static final ConfigOverrides FLAG = new ConfigOverrides(Map.of("FLAG", "x"), List.of("java", "-jar",
      "{artifact}", "--flag"));

  private static Release release(int n, String from, String to, ReleasePhase phase, ConfigOverrides target,
                                 ConfigOverrides previous) {
    return new Release("shop.t" + n, "shop", from, to, RollingStrategy.defaults(), phase, 0, "m", List.of(),
        new JsonObject(), new ReleaseConfig(target, previous));
  }

  @Test
  void eachVersionRunsWithTheConfigOfTheReleaseThatBroughtIt() {
    List<Release> h = List.of(release(1, null, "1.0.0", ReleasePhase.SUCCEEDED, BLUE, ConfigOverrides.NONE),
        release(2, "1.0.0", "2.0.0", ReleasePhase.SUCCEEDED, FLAG, BLUE));
    assertThat(VersionConfig.of(h, "2.0.0")).isEqualTo(FLAG);
    assertThat(VersionConfig.of(h, "1.0.0")).isEqualTo(BLUE);
    assertThat(VersionConfig.of(h, "0.9.0")).isEqualTo(ConfigOverrides.NONE);
    assertThat(VersionConfig.of(List.of(), "1.0.0")).isEqualTo(ConfigOverrides.NONE);
  }

  @Test
  void anAbortedReleaseLeavesThePreviousVersionWithItsOwnConfig() {
    List<Release> h = List.of(release(1, null, "1.0.0", ReleasePhase.SUCCEEDED, BLUE, ConfigOverrides.NONE),
        release(2, "1.0.0", "2.0.0", ReleasePhase.ABORTED, FLAG, BLUE));
    assertThat(VersionConfig.of(h, "1.0.0")).isEqualTo(BLUE);
    assertThat(VersionConfig.of(h, "2.0.0")).as("an aborted version never became current").isEqualTo(ConfigOverrides.NONE);
  }

  @Test
  void aRollbackReleaseCarriesThePreviousConfigBackWithItsVersion() {
    List<Release> h = List.of(release(1, null, "1.0.0", ReleasePhase.SUCCEEDED, BLUE, ConfigOverrides.NONE),
        release(2, "1.0.0", "2.0.0", ReleasePhase.SUCCEEDED, FLAG, BLUE),
        // POST /rollback builds its config from the history as it was: target = 1.0.0's, previous = 2.0.0's.
        release(3, "2.0.0", "1.0.0", ReleasePhase.PROGRESSING, BLUE, FLAG));
    assertThat(h.get(2).config()).isEqualTo(new ReleaseConfig(VersionConfig.of(h.subList(0, 2), "1.0.0"),
        VersionConfig.of(h.subList(0, 2), "2.0.0")));
    assertThat(VersionConfig.of(h, "1.0.0")).isEqualTo(BLUE);
    assertThat(VersionConfig.of(h, "2.0.0")).as("still running until the rollback stops it").isEqualTo(FLAG);
  }

  @Test
  void aNewReleaseWithoutOverridesRunsTheSpecAloneAsArgoAndNomadDo() {
    List<Release> h = List.of(release(1, "1.0.0", "2.0.0", ReleasePhase.SUCCEEDED, FLAG, ConfigOverrides.NONE),
        release(2, "2.0.0", "2.1.0", ReleasePhase.SUCCEEDED, ConfigOverrides.NONE, FLAG));
    assertThat(VersionConfig.of(h, "2.1.0")).as("what a release does not say is the spec's").isEqualTo(ConfigOverrides.NONE);
    assertThat(VersionConfig.of(h, "2.0.0")).isEqualTo(FLAG);
  }

  @Test
  void aStartRequestMergesTheOverridesOverTheSpec() {
    AppSpec spec = AppSpec.fromJson("shop", new JsonObject().put("instances", 2).put("runAs", "shop")
        .put("env", new JsonObject().put("FLAG", "spec").put("REGION", "eu")));
    ArtifactRef ref = new ArtifactRef("http://r/a.jar", "a".repeat(64));
    StartInstanceRequest s = VersionConfig.start(spec, "2.0.0", ref, 20001, "shop.t1", FLAG);
    assertThat(s.env()).isEqualTo(Map.of("FLAG", "x", "REGION", "eu"));
    assertThat(s.command()).containsExactly("java", "-jar", "{artifact}", "--flag");
    assertThat(s.runAs()).isEqualTo("shop");
    assertThat(s.port()).isEqualTo(20001);
    StartInstanceRequest plain = VersionConfig.start(spec, "1.0.0", ref, null, null, ConfigOverrides.NONE);
    assertThat(plain.env()).isEqualTo(spec.env());
    assertThat(plain.command()).isEqualTo(spec.command());
  }
}
