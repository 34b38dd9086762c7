package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@code POST /v1/apps/{app}/releases}: the target version, how to get there, and the config overrides
 * its instances run with ({@code "env"}, {@code "command"}; {@link ConfigOverrides}).
 */
public record ReleaseRequest(String version, Strategy strategy, ConfigOverrides config) {

  public ReleaseRequest {
    config = config == null ? ConfigOverrides.NONE : config;
  }

  public ReleaseRequest(String version, Strategy strategy) {
    this(version, strategy, ConfigOverrides.NONE);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version).put("strategy", strategy.toJson());
    if (!config.env().isEmpty()) {
      json.put("env", config.toJson().getJsonObject("env"));
    }
    return config.command() == null ? json : json.put("command", config.toJson().getJsonArray("command"));
  }

  /**
   * Parses the body of the API call, strictly (an unknown field is refused with the nearest known name); a
   * missing strategy means rolling surge with defaults; {@code env} and {@code command} follow the app spec's rules.
   */
  public static ReleaseRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Fields s = f.object("strategy", false);
    Strategy strategy = s == null ? RollingStrategy.defaults() : Strategy.read(s);
    ConfigOverrides config = ConfigOverrides.read(f);
    f.throwIfInvalid();
    return new ReleaseRequest(version, strategy, config);
  }
}
