package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Blue-green: green starts beside blue and is reachable only through {@code preview} until promotion,
 * which moves 100% in one route revision. Blue stays warm {@code scaleDownDelaySeconds} for instant
 * rollback. {@code autoPromoteSeconds} null means promotion is manual. {@code bakeSeconds} (0: none) is a window
 * after the switch in which green is judged by {@code analysis} (null: its defaults) against the baseline recorded
 * before the release; blue stays warm at least that long (docs/registry-api.md, "Canary analysis").
 */
public record BlueGreenStrategy(Match preview, Integer autoPromoteSeconds, int scaleDownDelaySeconds,
                                StrategyTiming timing, Analysis analysis, int bakeSeconds)
    implements Strategy {

  public static final String TYPE = "blue-green";
  public static final Match DEFAULT_PREVIEW = new Match(Match.Source.HEADER, "X-Baton-Preview", "green");

  /** A blue-green release without a bake. */
  public BlueGreenStrategy(Match preview, Integer autoPromoteSeconds, int scaleDownDelaySeconds, StrategyTiming timing) {
    this(preview, autoPromoteSeconds, scaleDownDelaySeconds, timing, null, 0);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JsonObject toJson() {
    return timing.putInto(new JsonObject().put("type", TYPE).put("preview", preview.toJson())
        .put("autoPromoteSeconds", autoPromoteSeconds).put("scaleDownDelaySeconds", scaleDownDelaySeconds)
        .put("analysis", analysis == null ? null : analysis.toJson()).put("bakeSeconds", bakeSeconds));
  }

  static BlueGreenStrategy read(Fields f) {
    Fields p = f.object("preview", false);
    Match preview = p == null ? DEFAULT_PREVIEW : Match.read(p);
    Integer auto = f.integer("autoPromoteSeconds", false, 0, 86_400);
    Integer delay = f.integer("scaleDownDelaySeconds", false, 0, 86_400);
    StrategyTiming timing = StrategyTiming.read(f);
    Fields an = f.object("analysis", false);
    int before = f.errors().size();
    Analysis analysis = an == null ? null : Analysis.read(an);
    Integer bake = f.integer("bakeSeconds", false, 0, CanaryStrategy.MAX_BAKE_SECONDS);
    if (analysis != null && (bake == null ? !f.has("bakeSeconds") : bake == 0)) {
      f.error("analysis", "judges green during a bake only: set bakeSeconds too");
    }
    if (preview == null || timing == null || auto == null && f.has("autoPromoteSeconds")
        || delay == null && f.has("scaleDownDelaySeconds") || f.errors().size() > before) {
      return null;
    }
    return new BlueGreenStrategy(preview, auto, delay == null ? 300 : delay, timing, analysis, bake == null ? 0 : bake);
  }
}
