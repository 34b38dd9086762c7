package dev.baton.registry.release;

import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.CanaryStep;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.ArrayList;
import java.util.List;

/**
 * A gradual abort of a healthy canary (docs/registry-api.md, "Operations"): the weight steps back down the steps
 * already taken, each held a short time, then the release aborts as an immediate abort does (stable 100%, canary
 * stopped). The plan lives in {@code progress.stepDown} {@code {weights, holds, index, since?}} so a restarted
 * registry carries on. Anything that would abort the release on its own (a failed start, the progress deadline, a
 * gate) sets {@code progress.abort}, which wins at once: a sick canary is never kept on traffic for a slow retreat,
 * and a canary that already failed an analysis interval is refused a gradual abort. Analysis does not run while
 * stepping down (the holds are short and the canary's share only falls).
 */
final class GradualAbort {

  static final String REASON = "aborted by operator";

  private GradualAbort() {
  }

  /** {@code r} with its step-down planned, or why a gradual abort means nothing for it (HTTP 409). */
  static Release start(Release r, AbortRequest req, String at) {
    if (!(r.strategy() instanceof CanaryStrategy s) || r.fromVersion() == null) {
      throw new ReleaseOperations.NotAllowedException("release " + r.id() + " is "
          + (r.fromVersion() == null ? "a first release" : "a " + r.strategy().type() + " release")
          + "; only a canary steps its weight back down: abort without gradual");
    }
    if (r.step() >= s.steps().size()) {
      throw new ReleaseOperations.NotAllowedException("release " + r.id() + " is promoting " + r.toVersion()
          + " to 100% and stopping stable; there are no steps to go back down: abort without gradual");
    }
    if (r.step() == 0) {
      throw new ReleaseOperations.NotAllowedException("release " + r.id() + " is at its first step ("
          + CanaryPlanner.fmt(s.steps().get(0).weight()) + "%): the next step down is 0%, which is what abort"
          + " without gradual does");
    }
    int failed = ReleaseState.of(r).canary().analysis().failureCount();
    if (failed > 0) {
      throw new ReleaseOperations.NotAllowedException("release " + r.id() + " failed " + failed + " analysis"
          + " interval(s): a canary judged worse than stable leaves traffic at once; abort without gradual");
    }
    List<Double> weights = new ArrayList<>();
    List<Integer> holds = new ArrayList<>();
    StringBuilder path = new StringBuilder(CanaryPlanner.fmt(s.steps().get(r.step()).weight()) + "%");
    for (int i = r.step() - 1; i >= 0; i--) {
      CanaryStep step = s.steps().get(i);
      weights.add(step.weight());
      holds.add(req.stepDownSeconds() != null ? req.stepDownSeconds() : step.pauseSeconds() != null
          ? Math.min(step.pauseSeconds(), AbortRequest.MAX_DEFAULT_HOLD_SECONDS) : AbortRequest.DEFAULT_HOLD_SECONDS);
      path.append(" -> ").append(CanaryPlanner.fmt(step.weight())).append('%');
    }
    path.append(" -> 0%");
    CommonState.StepDown plan = new CommonState.StepDown(weights, holds, 0, null, path.toString());
    return ReleaseState.of(r).withCommon(c -> c.withPause(false, null).withStepDown(plan))
        .withCanary(c -> c.withPromotedStep(null)).applyTo(r)
        .transition(ReleasePhase.PROGRESSING, "gradual abort by operator: " + path, at);
  }

  /** One look at a release stepping down: route the current weight, hold it, then the next; at the end, abort. */
  static Decision plan(PlanContext ctx, CanaryStrategy s) {
    Release r = ctx.release();
    CommonState.StepDown plan = ReleaseState.of(r).common().stepDown();
    if (plan.over()) {
      String why = REASON + " (gradual: " + plan.path() + ")";
      Release aborting = ReleaseState.withCommon(r, c -> c.withStepDown(null).withAbort(why));
      return Decision.idle(ctx.to(aborting, ReleasePhase.PROGRESSING, "aborting: " + why));
    }
    double weight = plan.weight();
    String label = "gradual abort: " + CanaryPlanner.fmt(weight) + "% to " + r.toVersion();
    if (ctx.observed().ready(r.fromVersion()).isEmpty()) {
      return Steps.waitReady(ctx, r, r.fromVersion(), 1);
    }
    Action route = Steps.route(ctx, RouteSplits.weighted(ctx.app(), r.fromVersion(), r.toVersion(), weight,
        s.rules(), s.sticky()));
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, label), route);
    }
    if (plan.since() == null) {
      return Decision.idle(ReleaseState.withCommon(r, c -> c.withStepDown(plan.heldFrom(ctx.now()))));
    }
    int hold = plan.hold();
    if (ctx.now() >= plan.since() + hold * 1000L) {
      return Decision.idle(ReleaseState.withCommon(r, c -> c.withStepDown(plan.next())));
    }
    return Decision.idle(Steps.progressing(ctx, r, label + ", held " + hold + "s"));
  }
}
