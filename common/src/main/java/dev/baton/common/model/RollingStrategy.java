package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Rolling replacement. {@code surge}: start up to {@code maxSurge} new instances beside the old ones,
 * then drain and stop old ones. {@code in-place}: take one old instance out, drain, stop, start the
 * new version on the same agent and port. Capacity never drops below {@code desired - maxUnavailable};
 * a new instance counts only after it stayed healthy {@code minHealthySeconds}.
 */
public record RollingStrategy(Mode mode, int maxSurge, int maxUnavailable, StrategyTiming timing)
    implements Strategy {

  public static final String TYPE = "rolling";

  /** Where new instances go. */
  public enum Mode {
    SURGE("surge"), IN_PLACE("in-place");

    public final String key;

    Mode(String key) {
      this.key = key;
    }
  }

  public static RollingStrategy defaults() {
    return new RollingStrategy(Mode.SURGE, 1, 0, StrategyTiming.DEFAULT);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JsonObject toJson() {
    return timing.putInto(new JsonObject().put("type", TYPE).put("mode", mode.key).put("maxSurge", maxSurge)
        .put("maxUnavailable", maxUnavailable));
  }

  static RollingStrategy read(Fields f) {
    String modeKey = f.string("mode", false);
    Mode mode = Mode.SURGE;
    if (modeKey != null) {
      mode = null;
      for (Mode m : Mode.values()) {
        if (m.key.equals(modeKey)) {
          mode = m;
        }
      }
      if (mode == null) {
        f.error("mode", "'" + modeKey + "' is not a rolling mode; use surge or in-place");
      }
    }
    Integer surge = f.integer("maxSurge", false, 0, AppSpec.MAX_INSTANCES);
    Integer unavailable = f.integer("maxUnavailable", false, 0, AppSpec.MAX_INSTANCES);
    StrategyTiming timing = StrategyTiming.read(f);
    int s = surge == null ? (mode == Mode.IN_PLACE ? 0 : 1) : surge;
    int u = unavailable == null ? (mode == Mode.IN_PLACE ? 1 : 0) : unavailable;
    if (mode == Mode.SURGE && surge != null && unavailable != null && s == 0 && u == 0) {
      f.error("maxSurge", "maxSurge and maxUnavailable cannot both be 0: the release could never progress");
    }
    if (mode == Mode.IN_PLACE && unavailable != null && u == 0) {
      f.error("maxUnavailable", "in-place rolling takes instances out of routing, so it needs maxUnavailable >= 1");
    }
    if (mode == null || surge == null && f.has("maxSurge") || unavailable == null && f.has("maxUnavailable")
        || timing == null) {
      return null;
    }
    return new RollingStrategy(mode, s, u, timing);
  }
}
