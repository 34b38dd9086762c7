package dev.baton.registry.release;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ArtifactRef;
import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.StartInstanceRequest;
import java.util.List;

/**
 * Which config a version of an app runs with (docs/ARCHITECTURE.md, "Config rolls back with the code"). Pure: the
 * app's releases in, the overrides out. Every release stores the overrides of both its versions, so the newest
 * release that names a version says how that version runs: its {@code config} when the version is its
 * {@code toVersion} (unless it was aborted: then the new version never became current), its {@code fromConfig} when
 * the version is its {@code fromVersion}. A version no release names runs with the spec alone.
 */
public final class VersionConfig {

  private VersionConfig() {
  }

  /** The overrides {@code version} runs with, from {@code history} (oldest first). */
  public static ConfigOverrides of(List<Release> history, String version) {
    if (version == null) {
      return ConfigOverrides.NONE;
    }
    for (int i = history.size() - 1; i >= 0; i--) {
      Release r = history.get(i);
      if (version.equals(r.toVersion()) && r.phase() != ReleasePhase.ABORTED) {
        return r.config().target();
      }
      if (version.equals(r.fromVersion())) {
        return r.config().previous();
      }
    }
    return ConfigOverrides.NONE;
  }

  /**
   * The start request of an instance of {@code version}: the spec's health path, user and limits, the spec's env
   * with {@code overrides} merged over it, and the override's command when it has one.
   */
  public static StartInstanceRequest start(AppSpec spec, String version, ArtifactRef artifact, Integer port,
                                           String release, ConfigOverrides overrides) {
    return new StartInstanceRequest(spec.name(), version, artifact, port, overrides.envOver(spec.env()),
        spec.healthPath(), overrides.commandOver(spec.command()), release, spec.runAs(), spec.limits());
  }
}
