package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The config of both versions of a release (docs/ARCHITECTURE.md, "Config rolls back with the code"): {@code target}
 * is what the request asked for {@code toVersion}, {@code previous} what {@code fromVersion} ran with when the release
 * was created, so an abort starts the previous version again as it was. Stored on the release as {@code "config"}
 * and {@code "fromConfig"}; a release stored before overrides existed reads as {@link #NONE} (the spec alone).
 */
public record ReleaseConfig(ConfigOverrides target, ConfigOverrides previous) {

  public static final ReleaseConfig NONE = new ReleaseConfig(ConfigOverrides.NONE, ConfigOverrides.NONE);

  public ReleaseConfig {
    target = target == null ? ConfigOverrides.NONE : target;
    previous = previous == null ? ConfigOverrides.NONE : previous;
  }

  /** Adds {@code config} and {@code fromConfig} to a release's JSON, redacted when it is served. */
  JsonObject putInto(JsonObject release, boolean redacted) {
    return release.put("config", redacted ? target.toRedactedJson() : target.toJson())
        .put("fromConfig", redacted ? previous.toRedactedJson() : previous.toJson());
  }

  static ReleaseConfig readFrom(JsonObject release) {
    return new ReleaseConfig(ConfigOverrides.fromJson(release.getJsonObject("config")),
        ConfigOverrides.fromJson(release.getJsonObject("fromConfig")));
  }
}
