package dev.baton.common.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@code POST /v1/apps/{app}/releases}: the target version, how to get there, the config overrides its
 * instances run with ({@code "env"}, {@code "command"}; {@link ConfigOverrides}) and its gates (webhooks that must
 * answer 2xx, docs/registry-api.md "Gates").
 */
public record ReleaseRequest(String version, Strategy strategy, ConfigOverrides config, List<Gate> gates) {

  public ReleaseRequest {
    config = config == null ? ConfigOverrides.NONE : config;
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  public ReleaseRequest(String version, Strategy strategy) {
    this(version, strategy, ConfigOverrides.NONE, List.of());
  }

  public ReleaseRequest(String version, Strategy strategy, ConfigOverrides config) {
    this(version, strategy, config, List.of());
  }

  public ReleaseRequest(String version, Strategy strategy, List<Gate> gates) {
    this(version, strategy, ConfigOverrides.NONE, gates);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version).put("strategy", strategy.toJson());
    if (!config.env().isEmpty()) {
      json.put("env", config.toJson().getJsonObject("env"));
    }
    if (config.command() != null) {
      json.put("command", config.toJson().getJsonArray("command"));
    }
    return gates.isEmpty() ? json : json.put("gates", Gate.toJson(gates));
  }

  /**
   * Parses the body of the API call, strictly (an unknown field is refused with the nearest known name); a
   * missing strategy means rolling surge with defaults; {@code env} and {@code command} follow the app spec's rules.
   */
  public static ReleaseRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    ReleaseRequest request = read(f);
    f.throwIfInvalid();
    return request;
  }

  /**
   * Reads a release request's fields out of {@code f} (a release group's member too, with its {@code app} beside
   * them); errors stay in {@code f}'s list, the caller throws them.
   */
  public static ReleaseRequest read(Fields f) {
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Fields s = f.object("strategy", false);
    Strategy strategy = s == null ? RollingStrategy.defaults() : Strategy.read(s);
    ConfigOverrides config = ConfigOverrides.read(f);
    List<Gate> gates = Gate.readAll(f, "gates");
    return new ReleaseRequest(version, strategy, config, gates);
  }
}
