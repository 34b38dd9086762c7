package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.List;

/**
 * Abort of any strategy: traffic goes back to the previous version first (one route flip as soon as it
 * has a ready instance), then the previous version is brought back to {@code desired} instances, and
 * only then are the new version's instances stopped. The release ends ABORTED with the reason.
 * A first release (no previous version) aborts by stopping what it started.
 */
final class RollbackPlanner {

  private RollbackPlanner() {
  }

  static Decision plan(PlanContext ctx) {
    Release r = ctx.release();
    String reason = ReleaseState.of(r).abort().orElseThrow();
    String stable = r.fromVersion();
    String canary = r.toVersion();
    List<ObservedInstance> doomed = ctx.observed().active(canary);
    if (stable == null) {
      if (!doomed.isEmpty()) {
        return Decision.act(aborting(ctx, r, reason), Steps.stop(doomed));
      }
      return Steps.finish(ctx, r, ReleasePhase.ABORTED, "aborted: " + reason);
    }
    if (!ctx.observed().ready(stable).isEmpty()) {
      Action route = Steps.route(ctx, RouteSplits.single(ctx.app(), stable));
      if (route != null) {
        return Decision.act(aborting(ctx, r, reason), route);
      }
    }
    List<Action> up = Steps.scaleUp(ctx, stable, ctx.desired());
    if (!up.isEmpty()) {
      return Decision.act(aborting(ctx, r, reason), up);
    }
    if (ctx.observed().ready(stable).size() < ctx.desired()) {
      return Steps.waitReady(ctx, aborting(ctx, r, reason), stable, ctx.desired());
    }
    if (!doomed.isEmpty()) {
      return Decision.act(aborting(ctx, r, reason), Steps.stop(doomed));
    }
    return Steps.finish(ctx, r, ReleasePhase.ABORTED, "aborted: " + reason + "; " + stable
        + " serves 100% of traffic, " + canary + " stopped");
  }

  private static Release aborting(PlanContext ctx, Release r, String reason) {
    return ctx.to(r, ReleasePhase.PROGRESSING, "aborting: " + reason);
  }
}
