package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.List;

/** The first release of an app (nothing running): start {@code instances} of it, then route 100% to it. */
final class InitialPlanner {

  private InitialPlanner() {
  }

  static Decision plan(PlanContext ctx) {
    Release r = ctx.release();
    String to = r.toVersion();
    int n = ctx.desired();
    List<Action> up = Steps.scaleUp(ctx, to, n);
    if (!up.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "first release: starting " + n + " instance(s) of " + to), up);
    }
    if (ctx.observed().ready(to).size() < n) {
      return Steps.waitReady(ctx, r, to, n);
    }
    Action route = Steps.route(ctx, RouteSplits.single(ctx.app(), to));
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, "routing 100% of traffic to " + to), route);
    }
    return Steps.finish(ctx, r, ReleasePhase.SUCCEEDED, n + " instance(s) of " + to + " serve 100% of traffic");
  }
}
