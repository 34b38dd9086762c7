package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.WeightedVersion;
import java.time.Instant;
import java.util.List;

/**
 * Blue-green. Step 0: start every green instance beside blue; once all are ready (each for {@code
 * minHealthySeconds}), blue keeps 100% and green is reachable only through the preview rule; wait for a promote
 * (or {@code autoPromoteSeconds}).
 * Step 1 (promoted): 100% to green in one route revision, applied by the live gateways; then the release is done as
 * far as traffic goes and reads SUCCEEDED at once, recording until when blue stays warm ({@code
 * scaleDownDelaySeconds} after the promotion, {@link Progress#BLUE_WARM_UNTIL}). Blue's instances are then the
 * reconciler's to stop when that time has passed; a rollback before it is one route flip (docs/ARCHITECTURE.md,
 * Registry, "Blue-green is done when traffic is"). Without a delay, blue is stopped before SUCCEEDED.
 * An immediate promotion ({@code autoPromoteSeconds} 0, as an app rollback) whose green is already ready
 * skips the preview route: the rollback is one route revision.
 * With {@code bakeSeconds}, green is first judged against the baseline recorded before the release ({@link Bake}),
 * blue kept warm, and the release succeeds only once the bake passed.
 */
final class BlueGreenPlanner {

  private BlueGreenPlanner() {
  }

  static Decision plan(PlanContext ctx, BlueGreenStrategy s) {
    return ctx.release().step() == 0 ? deploy(ctx, s) : promoted(ctx, s);
  }

  private static Decision deploy(PlanContext ctx, BlueGreenStrategy s) {
    Release r = Bake.withBaseline(ctx, Steps.tracked(ctx, ctx.release().toVersion(), s.minHealthySeconds()),
        s.bakeSeconds());
    String blue = r.fromVersion();
    String green = r.toVersion();
    int n = ctx.desired();
    List<Action> up = Steps.scaleUp(ctx, green, n);
    if (!up.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "starting " + n + " green instance(s) of " + green
          + " beside blue " + blue), up);
    }
    Decision unready = Steps.awaitMatured(ctx, r, green, n, s.minHealthySeconds());
    if (unready != null) {
      return unready;
    }
    boolean immediate = s.autoPromoteSeconds() != null && s.autoPromoteSeconds() == 0;
    if (immediate) {
      Release next = ReleaseState.withBlueGreen(r.withStep(1), b -> b.withPromotedAt(ctx.now()));
      return Decision.idle(ctx.to(next, ReleasePhase.PROGRESSING, "green " + green + " ready; promoting at once"));
    }
    RoutePolicy preview = new RoutePolicy(ctx.app(), 0, List.of(new WeightedVersion(blue, 100)),
        List.of(new RouteRule(s.preview(), green)), null, null);
    Action route = Steps.route(ctx, preview);
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, "green " + green + " ready; opening the preview rule"), route);
    }
    BlueGreenState state = ReleaseState.of(r).blueGreen();
    if (state.greenReadyAt() == null) {
      return Decision.idle(ReleaseState.withBlueGreen(r, b -> b.withGreenReadyAt(ctx.now())));
    }
    long readyAt = state.greenReadyAt();
    boolean auto = s.autoPromoteSeconds() != null && ctx.now() >= readyAt + s.autoPromoteSeconds() * 1000L;
    if (state.promote() || auto) {
      Release next = ReleaseState.withBlueGreen(r.withStep(1), b -> b.withPromotedAt(ctx.now()));
      return Decision.idle(ctx.to(next, ReleasePhase.PROGRESSING, "promoting green " + green
          + (auto ? " (auto-promoted after " + s.autoPromoteSeconds() + "s)" : "")));
    }
    String preview0 = s.preview().source().key + " " + s.preview().name() + "=" + s.preview().equals();
    if (s.autoPromoteSeconds() != null) {
      return Decision.idle(Steps.progressing(ctx, r, "green " + green + " ready, reachable with " + preview0
          + "; auto-promotion in " + s.autoPromoteSeconds() + "s"));
    }
    return Decision.idle(ctx.to(r, ReleasePhase.PAUSED, "green " + green + " ready, reachable with " + preview0
        + "; promote to switch 100% of traffic"));
  }

  private static Decision promoted(PlanContext ctx, BlueGreenStrategy s) {
    Release r = ctx.release();
    String green = r.toVersion();
    Action route = Steps.route(ctx, RouteSplits.single(ctx.app(), green));
    if (route != null) {
      return Decision.act(Steps.progressing(ctx, r, "switching 100% of traffic to green " + green), route);
    }
    Decision baking = Bake.plan(ctx, r, s.analysis() == null ? Analysis.defaults() : s.analysis(), s.bakeSeconds());
    if (baking != null) {
      return baking;
    }
    Long promoted = ReleaseState.of(r).blueGreen().promotedAt();
    long promotedAt = promoted == null ? ctx.now() : promoted;
    long warmUntil = promotedAt + s.scaleDownDelaySeconds() * 1000L;
    List<ObservedInstance> blue = ctx.observed().activeExcept(green);
    if (!blue.isEmpty() && s.scaleDownDelaySeconds() > 0 && ctx.now() < warmUntil) {
      String blueVersion = r.fromVersion();
      Release done = ReleaseState.withBlueGreen(r, b -> b.withBlueWarmUntil(warmUntil));
      return Steps.finish(ctx, done, ReleasePhase.SUCCEEDED, ctx.desired() + " instance(s) of " + green
          + " serve 100% of traffic; blue " + blueVersion + " stays warm until " + Instant.ofEpochMilli(warmUntil)
          + " (POST /v1/apps/" + ctx.app() + "/rollback flips traffic back to it at once)");
    }
    if (!blue.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "scaling down blue: stopping " + blue.size() + " instance(s)"),
          Steps.stop(blue));
    }
    return Steps.finish(ctx, r, ReleasePhase.SUCCEEDED, ctx.desired() + " instance(s) of " + green
        + " serve 100% of traffic; blue stopped");
  }
}
