package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Blue-green: green starts beside blue and is reachable only through {@code preview} until promotion,
 * which moves 100% in one route revision. Blue stays warm {@code scaleDownDelaySeconds} for instant
 * rollback. {@code autoPromoteSeconds} null means promotion is manual.
 */
public record BlueGreenStrategy(Match preview, Integer autoPromoteSeconds, int scaleDownDelaySeconds,
                                StrategyTiming timing)
    implements Strategy {

  public static final String TYPE = "blue-green";
  public static final Match DEFAULT_PREVIEW = new Match(Match.Source.HEADER, "X-Baton-Preview", "green");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JsonObject toJson() {
    return timing.putInto(new JsonObject().put("type", TYPE).put("preview", preview.toJson())
        .put("autoPromoteSeconds", autoPromoteSeconds).put("scaleDownDelaySeconds", scaleDownDelaySeconds));
  }

  static BlueGreenStrategy read(Fields f) {
    Fields p = f.object("preview", false);
    Match preview = p == null ? DEFAULT_PREVIEW : Match.read(p);
    Integer auto = f.integer("autoPromoteSeconds", false, 0, 86_400);
    Integer delay = f.integer("scaleDownDelaySeconds", false, 0, 86_400);
    StrategyTiming timing = StrategyTiming.read(f);
    if (preview == null || timing == null || auto == null && f.has("autoPromoteSeconds")
        || delay == null && f.has("scaleDownDelaySeconds")) {
      return null;
    }
    return new BlueGreenStrategy(preview, auto, delay == null ? 300 : delay, timing);
  }
}
