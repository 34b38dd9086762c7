package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.CanaryStep;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
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
    CanaryState state = ReleaseState.of(r).canary();
    CanaryState.Counters an = state.analysis();
    if (state.stepStartedAt() == null) {
      int ready = ctx.observed().ready(canary).size();
      // New canary instances get their first traffic from now: their warm-up is left out of the analysis.
      boolean warm = analysis != null && ready > an.readyCanaries();
      return Decision.idle(ReleaseState.withCanary(r, c -> c.withStepStartedAt(ctx.now()).withAnalysis(warm
          ? an.warmingUp(ready, ctx.now() + analysis.warmupSeconds() * 1000L) : an)));
    }
    long started = state.stepStartedAt();
    // A window starts at the last interval's end and after the warm-up, but never before this registry's metrics do:
    // after a failover the new leader judges only full intervals it saw, so an interval it missed is never a pass.
    long from = Math.max(Math.max(or(an.lastAt(), started), or(an.warmUntil(), started)),
        ctx.observed().metrics().coverageStartMs());
    if (analysis != null && ctx.now() - from >= analysis.intervalSeconds() * 1000L) {
      return analyse(ctx, r, analysis, an, from, label);
    }
    boolean promoted = state.promoted(r.step());
    boolean pauseOver = promoted || !step.manualPause()
        && (step.pauseSeconds() == null || ctx.now() >= started + step.pauseSeconds() * 1000L);
    boolean analysisOk = analysis == null || promoted || an.stepPassCount() > 0;
    if (pauseOver && analysisOk) {
      Release next = ReleaseState.withCanary(r.withStep(r.step() + 1), c -> c.withStepStartedAt(null)
          .withPromotedStep(null).withAnalysis(analysis == null ? an : an.nextStep()));
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
    String why = an.last() != null ? an.last()
        : ctx.now() < or(an.warmUntil(), 0L) ? "warming up, analysis from " + java.time.Instant.ofEpochMilli(
            an.warmUntil()) : "waiting for the first analysis interval";
    boolean sameKind = r.phase() == ReleasePhase.PROGRESSING && r.message() != null
        && r.message().startsWith(label + ": " + why.split(" ", 2)[0]);
    Release waiting = sameKind ? r.withMessage(label + ": " + why) : Steps.progressing(ctx, r, label + ": " + why);
    return Decision.blocked(waiting);
  }

  private static Decision analyse(PlanContext ctx, Release r, Analysis a, CanaryState.Counters an, long from,
                                  String label) {
    MetricsView m = ctx.observed().metrics();
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(a, m.sum(ctx.app(), r.toVersion(), from, ctx.now()),
        m.sum(ctx.app(), r.fromVersion(), from, ctx.now()));
    if (a.prometheus() != null) {
      v = PrometheusAnalysis.combine(v, PrometheusAnalysis.judge(a.prometheus(), ctx.observed().prometheus(), from));
    }
    CanaryState.Counters next = an.judged(ctx.now(), v.reason(), v.outcome());
    Release r0 = AnalysisHistory.append(r, v.figures().copy().put("at", ctx.at()).put("step", r.step())
        .put("fromMs", from).put("toMs", ctx.now()));
    Release out = ReleaseState.withCanary(r0, c -> c.withAnalysis(next));
    int failures = next.failureCount();
    if (failures >= a.failureLimit()) {
      String why = "analysis " + v.reason() + " (" + failures + " failed interval(s), limit " + a.failureLimit() + ")";
      return Decision.idle(ctx.note(ReleaseState.withCommon(out, c -> c.withAbort(why)), "aborting: " + why));
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

  private static long or(Long value, long otherwise) {
    return value == null ? otherwise : value;
  }

  static String fmt(double w) {
    return w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w);
  }
}
