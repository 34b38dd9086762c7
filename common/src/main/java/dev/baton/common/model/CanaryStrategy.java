package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Canary: {@code steps} of strictly increasing weights; after the last step the canary takes 100%.
 * {@code sticky} keeps a user on one version as the weight grows; {@code rules} send chosen users to
 * a version regardless of weight; {@code analysis} null means no automated analysis. {@code bakeSeconds} (0: none)
 * is a window after 100% in which the canary is judged against the baseline recorded before the release while stable
 * stays warm (docs/registry-api.md, "Canary analysis"); a bake without {@code analysis} uses the analysis defaults.
 */
public record CanaryStrategy(List<CanaryStep> steps, Sticky sticky, List<RouteRule> rules, Analysis analysis,
                             StrategyTiming timing, int bakeSeconds)
    implements Strategy {

  public static final String TYPE = "canary";
  public static final int MAX_BAKE_SECONDS = 86_400;

  public CanaryStrategy {
    steps = List.copyOf(steps);
    rules = List.copyOf(rules);
  }

  /** A canary without a bake. */
  public CanaryStrategy(List<CanaryStep> steps, Sticky sticky, List<RouteRule> rules, Analysis analysis,
                        StrategyTiming timing) {
    this(steps, sticky, rules, analysis, timing, 0);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public JsonObject toJson() {
    JsonArray s = new JsonArray();
    steps.forEach(step -> s.add(step.toJson()));
    JsonArray r = new JsonArray();
    rules.forEach(rule -> r.add(rule.toJson()));
    return timing.putInto(new JsonObject().put("type", TYPE).put("steps", s)
        .put("sticky", sticky == null ? null : sticky.toJson()).put("rules", r)
        .put("analysis", analysis == null ? null : analysis.toJson()).put("bakeSeconds", bakeSeconds));
  }

  static CanaryStrategy read(Fields f) {
    int before = f.errors().size();
    List<CanaryStep> steps = f.objects("steps", true, CanaryStep::read);
    if (f.has("steps") && steps.isEmpty() && f.errors().size() == before) {
      f.error("steps", "must hold at least one step");
    }
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).weight() <= steps.get(i - 1).weight()) {
        f.error("steps[" + i + "].weight", "step weights must increase strictly, got " + Fields.fmt(steps.get(i).weight())
            + " after " + Fields.fmt(steps.get(i - 1).weight()));
      }
    }
    Fields st = f.object("sticky", false);
    Sticky sticky = st == null ? null : Sticky.read(st);
    List<RouteRule> rules = f.objects("rules", false, RouteRule::read);
    Fields an = f.object("analysis", false);
    Analysis analysis = an == null ? null : Analysis.read(an);
    StrategyTiming timing = StrategyTiming.read(f);
    Integer bake = f.integer("bakeSeconds", false, 0, MAX_BAKE_SECONDS);
    return f.errors().size() > before || timing == null ? null
        : new CanaryStrategy(steps, sticky, rules, analysis, timing, bake == null ? 0 : bake);
  }
}
