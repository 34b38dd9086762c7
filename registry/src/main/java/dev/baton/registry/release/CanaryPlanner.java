package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.CanaryStep;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Canary. For step {@code i} with weight {@code w}: run {@code max(1, ceil(desired × w / 100))} canary
 * instances (stable keeps all of its own, so an abort is one route flip), route {@code w}% to the canary
 * with the request's rules and sticky key, then pause (timed, or until promote). With analysis, every
 * {@code intervalSeconds} the canary is judged against stable over the same window ({@link CanaryAnalysis}); a step
 * below 100% needs at least one passing interval to advance, and {@code failureLimit} failed intervals abort the
 * release. A canary instance counts for a step only once it stayed ready {@code minHealthySeconds}. When a
 * step's route brings new canary instances their first {@code warmupSeconds} of traffic are left out of every
 * window. Every interval is kept in {@code progress.analysisHistory} ({@link
 * AnalysisHistory}). A step at 100% has no stable traffic to compare with and is not analysed. After the
 * last step the canary is scaled to {@code desired} and takes 100%; with {@code bakeSeconds} it is judged against the
 * baseline recorded before the release while stable stays warm ({@link Bake}); then stable is stopped.
 */
final class CanaryPlanner {

  private CanaryPlanner() {
  }

  static Decision plan(PlanContext ctx, CanaryStrategy s) {
    Release r = Bake.withBaseline(ctx, Steps.tracked(ctx, ctx.release().toVersion(), s.minHealthySeconds()),
        s.bakeSeconds());
    if (r.step() >= s.steps().size()) {
      return finish(ctx, r, s);
    }
    CanaryStep step = s.steps().get(r.step());
    String stable = r.fromVersion();
    String canary = r.toVersion();
    String label = "step " + (r.step() + 1) + "/" + s.steps().size() + " (" + fmt(step.weight()) + "%)";
    int want = step.weight() >= 100 ? ctx.desired() : Math.max(1, (int) Math.ceil(ctx.desired() * step.weight() / 100));
    List<Action> up = Steps.scaleUp(ctx, canary, want);
    if (!up.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, label + ": starting " + up.size() + " canary instance(s) of "
          + canary), up);
    }
    Decision unready = Steps.awaitMatured(ctx, r, canary, want, s.minHealthySeconds());
    if (unready != null) {
      return unready;
    }
    Action route = Steps.route(ctx, RouteSplits.weighted(ctx.app(), stable, canary, step.weight(), s.rules(), s.sticky()));
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, label + ": routing " + fmt(step.weight()) + "% to " + canary), route);
    }
    Analysis analysis = step.weight() >= 100 ? null : s.analysis();
    JsonObject an = r.progress().getJsonObject(Progress.ANALYSIS, new JsonObject());
    if (!r.progress().containsKey(Progress.STEP_STARTED_AT)) {
      Release next = PlanContext.with(r, Progress.STEP_STARTED_AT, ctx.now());
      int ready = ctx.observed().ready(canary).size();
      if (analysis != null && ready > an.getInteger("canaryReady", 0)) {
        // New canary instances get their first traffic from now: their warm-up is left out of the analysis.
        next = PlanContext.with(next, Progress.ANALYSIS, an.copy().put("canaryReady", ready)
            .put("warmUntil", ctx.now() + analysis.warmupSeconds() * 1000L));
      }
      return Decision.idle(next);
    }
    long started = r.progress().getLong(Progress.STEP_STARTED_AT);
    // A window starts at the last interval's end and after the warm-up, but never before this registry's metrics do:
    // after a failover the new leader judges only full intervals it saw, so an interval it missed is never a pass.
    long from = Math.max(Math.max(an.getLong("lastAt", started), an.getLong("warmUntil", started)),
        ctx.observed().metrics().coverageStartMs());
    if (analysis != null && ctx.now() - from >= analysis.intervalSeconds() * 1000L) {
      return analyse(ctx, r, analysis, an, from, label);
    }
    boolean promoted = r.progress().getInteger(Progress.PROMOTE, -1) == r.step();
    boolean pauseOver = promoted || !step.manualPause()
        && (step.pauseSeconds() == null || ctx.now() >= started + step.pauseSeconds() * 1000L);
    boolean analysisOk = analysis == null || promoted || an.getInteger("stepPasses", 0) > 0;
    if (pauseOver && analysisOk) {
      JsonObject nextAn = an.copy().put("stepPasses", 0);
      nextAn.remove("last");
      Release next = PlanContext.without(r.withStep(r.step() + 1), Progress.STEP_STARTED_AT, Progress.PROMOTE);
      next = analysis == null ? next : PlanContext.with(next, Progress.ANALYSIS, nextAn);
      return Decision.idle(Steps.progressing(ctx, next, label + " done"
          + (promoted ? " (promoted)" : "")));
    }
    if (!pauseOver && step.manualPause()) {
      return Decision.idle(ctx.to(r, ReleasePhase.PAUSED, label + ": " + fmt(step.weight()) + "% to " + canary
          + "; paused until promote"));
    }
    if (!pauseOver) {
      return Decision.idle(Steps.progressing(ctx, r, label + ": " + fmt(step.weight()) + "% to " + canary
          + "; pausing " + step.pauseSeconds() + "s"));
    }
    // The message says why it waits; it is not a history entry each interval (progress.analysisHistory has them).
    String why = an.containsKey("last") ? an.getString("last")
        : ctx.now() < an.getLong("warmUntil", 0L) ? "warming up, analysis from " + java.time.Instant.ofEpochMilli(
            an.getLong("warmUntil")) : "waiting for the first analysis interval";
    boolean sameKind = r.phase() == ReleasePhase.PROGRESSING && r.message() != null
        && r.message().startsWith(label + ": " + why.split(" ", 2)[0]);
    Release waiting = sameKind ? r.withMessage(label + ": " + why) : Steps.progressing(ctx, r, label + ": " + why);
    return Decision.blocked(waiting);
  }

  private static Decision analyse(PlanContext ctx, Release r, Analysis a, JsonObject an, long from, String label) {
    MetricsView m = ctx.observed().metrics();
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(a, m.sum(ctx.app(), r.toVersion(), from, ctx.now()),
        m.sum(ctx.app(), r.fromVersion(), from, ctx.now()));
    if (a.prometheus() != null) {
      v = PrometheusAnalysis.combine(v, PrometheusAnalysis.judge(a.prometheus(), ctx.observed().prometheus(), from));
    }
    JsonObject next = an.copy().put("lastAt", ctx.now()).put("last", v.reason());
    Release r0 = AnalysisHistory.append(r, v.figures().copy().put("at", ctx.at()).put("step", r.step())
        .put("fromMs", from).put("toMs", ctx.now()));
    switch (v.outcome()) {
      case PASS -> next.put("stepPasses", an.getInteger("stepPasses", 0) + 1).put("passes", an.getInteger("passes", 0) + 1);
      case FAIL -> next.put("failures", an.getInteger("failures", 0) + 1);
      default -> next.put("inconclusive", an.getInteger("inconclusive", 0) + 1);
    }
    Release out = PlanContext.with(r0, Progress.ANALYSIS, next);
    int failures = next.getInteger("failures", 0);
    if (failures >= a.failureLimit()) {
      out = PlanContext.with(out, Progress.ABORT, "analysis " + v.reason() + " (" + failures + " failed interval(s), limit "
          + a.failureLimit() + ")");
      return Decision.idle(ctx.note(out, "aborting: " + out.progress().getString(Progress.ABORT)));
    }
    return Decision.idle(v.outcome() == CanaryAnalysis.Outcome.FAIL
        ? ctx.note(out, label + ": analysis " + v.reason() + " (" + failures + "/" + a.failureLimit() + ")") : out);
  }

  private static Decision finish(PlanContext ctx, Release r, CanaryStrategy s) {
    String canary = r.toVersion();
    List<Action> up = Steps.scaleUp(ctx, canary, ctx.desired());
    if (!up.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "promoting: scaling " + canary + " to " + ctx.desired()), up);
    }
    Decision unready = Steps.awaitMatured(ctx, r, canary, ctx.desired(), s.minHealthySeconds());
    if (unready != null) {
      return unready;
    }
    Action route = Steps.route(ctx, RouteSplits.single(ctx.app(), canary));
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, "promoting: 100% of traffic to " + canary), route);
    }
    Decision baking = Bake.plan(ctx, r, s.analysis() == null ? Analysis.defaults() : s.analysis(), s.bakeSeconds());
    if (baking != null) {
      return baking;
    }
    List<ObservedInstance> stable = ctx.observed().activeExcept(canary);
    if (!stable.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "promoting: stopping " + stable.size() + " stable instance(s)"),
          Steps.stop(stable));
    }
    return Steps.finish(ctx, r, ReleasePhase.SUCCEEDED, ctx.desired() + " instance(s) of " + canary
        + " serve 100% of traffic");
  }

  static String fmt(double w) {
    return w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w);
  }
}
