package dev.baton.registry.release;

import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.RollingStrategy;
import dev.baton.common.model.Strategy;

/**
 * The one dispatch from a release to its planner: abort first (any strategy rolls back the same way),
 * then the first release of an app, then a canary's gradual abort stepping down, then the planner of the
 * release's strategy. Pure: same context, same decision.
 */
public final class Planners {

  private Planners() {
  }

  public static Decision plan(PlanContext ctx) {
    ReleaseState state = ReleaseState.of(ctx.release());
    if (state.aborting()) {
      return RollbackPlanner.plan(ctx);
    }
    if (ctx.release().fromVersion() == null) {
      return InitialPlanner.plan(ctx);
    }
    Strategy s = ctx.release().strategy();
    if (s instanceof CanaryStrategy canary && state.common().stepDown() != null) {
      return GradualAbort.plan(ctx, canary);
    }
    if (s instanceof RollingStrategy rolling) {
      return rolling.mode() == RollingStrategy.Mode.SURGE ? RollingSurgePlanner.plan(ctx, rolling)
          : RollingInPlacePlanner.plan(ctx, rolling);
    }
    if (s instanceof BlueGreenStrategy blueGreen) {
      return BlueGreenPlanner.plan(ctx, blueGreen);
    }
    return CanaryPlanner.plan(ctx, (CanaryStrategy) s);
  }
}
