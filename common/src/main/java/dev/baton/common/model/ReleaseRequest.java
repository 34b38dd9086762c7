package dev.baton.common.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@code POST /v1/apps/{app}/releases}: the target version, how to get there, and its gates (webhooks that
 * must answer 2xx, docs/registry-api.md "Gates").
 */
public record ReleaseRequest(String version, Strategy strategy, List<Gate> gates) {

  public ReleaseRequest {
    gates = gates == null ? List.of() : List.copyOf(gates);
  }

  public ReleaseRequest(String version, Strategy strategy) {
    this(version, strategy, List.of());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version).put("strategy", strategy.toJson());
    return gates.isEmpty() ? json : json.put("gates", Gate.toJson(gates));
  }

  /**
   * Parses the body of the API call, strictly (an unknown field is refused with the nearest known name); a
   * missing strategy means rolling surge with defaults.
   */
  public static ReleaseRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    String version = f.matching("version", true, Names.VERSION, "must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}");
    Fields s = f.object("strategy", false);
    Strategy strategy = s == null ? RollingStrategy.defaults() : Strategy.read(s);
    List<Gate> gates = Gate.readAll(f, "gates");
    f.throwIfInvalid();
    return new ReleaseRequest(version, strategy, gates);
  }
}
