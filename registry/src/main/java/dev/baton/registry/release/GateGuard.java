package dev.baton.registry.release;

import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.Gate;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import dev.baton.registry.hooks.RetrySchedule;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a planner's decision at the release's gates (docs/registry-api.md, "Gates"; docs/ARCHITECTURE.md, "Gates and
 * notifications"). Pure: it reads and writes {@code progress.gates} and says which calls to make; the controller
 * makes them after saving the release and records each answer ({@link GateProgress#answered}).
 *
 * <ul>
 *   <li>{@code pre-rollout}: before the release's first action.</li>
 *   <li>{@code step}: before every route write that raises the new version's share (each canary step, each rolling
 *       batch that shifts traffic, the blue-green switch, a first release's route); {@code confirm-promotion}: before
 *       the one that gives it 100% (blue-green: before the promotion itself).</li>
 *   <li>{@code post-rollout}: when the release would succeed; it succeeds once every such gate answered 2xx or ran out of
 *       time; a failure is written in its history, nothing is rolled back.</li>
 *   <li>{@code rollback}: when the release starts aborting; asked once, never holds the rollback.</li>
 * </ul>
 *
 * A gate that answers anything but 2xx, or nothing, keeps the release waiting and is asked again
 * ({@link RetrySchedule#gateDelayMs}) until {@code timeoutSeconds} after its first call; then {@code abort} rolls back
 * and {@code wait} keeps asking. A call asked by another registry process (a failover) or unanswered past its timeout
 * is asked again.
 */
public final class GateGuard {

  /** The decision to persist and apply, and the gate calls to make once it is saved. */
  public record Gated(Decision decision, List<GateCall> calls) {
  }

  private GateGuard() {
  }

  /** {@code d} held at the gates it reaches; {@code me} names this controller's process (who asks a call). */
  public static Gated apply(PlanContext ctx, Decision d, String me) {
    Release in = ctx.release();
    if (in.gates().isEmpty()) {
      return new Gated(d, List.of());
    }
    Release out = d.release();
    List<GateCall> calls = new ArrayList<>();
    if (ReleaseState.of(out).aborting()) {
      Release r = out;
      for (int i = 0; i < in.gates().size(); i++) {
        Gate g = in.gates().get(i);
        String key = "rollback#" + i;
        GateState st = GateProgress.state(r, key);
        if (g.on() == Gate.On.ROLLBACK && (st == null || !st.isAnswered() && !me.equals(st.by()))) {
          String why = "the release is aborting: " + ReleaseState.of(out).abort().orElseThrow();
          r = ask(ctx, r, key, g, why, st, me, calls);
        }
      }
      return new Gated(new Decision(r, d.actions(), d.blocked()), calls);
    }
    if (in.phase() == ReleasePhase.PENDING) {
      return new Gated(d, List.of());
    }
    List<Point> points = new ArrayList<>();
    addPoints(points, in, Gate.On.PRE_ROLLOUT, "pre-rollout", "before the release starts");
    Hold pre = hold(ctx, in, points, me, calls);
    if (pre != null) {
      return new Gated(pre.decision, calls);
    }
    int target = raisedShare(ctx, d);
    if (target >= 0) {
      String where = "before " + CanaryPlanner.fmt(target / 100.0) + "% to " + in.toVersion();
      points.clear();
      addPoints(points, in, Gate.On.STEP, "step@" + target, where);
      if (target == 10_000) {
        addPoints(points, in, Gate.On.CONFIRM_PROMOTION, "confirm-promotion@" + target, where);
      }
      Hold h = hold(ctx, in, points, me, calls);
      if (h != null) {
        return new Gated(h.decision, calls);
      }
    }
    if (out.phase() == ReleasePhase.SUCCEEDED && in.phase() != ReleasePhase.SUCCEEDED) {
      points.clear();
      addPoints(points, in, Gate.On.POST_ROLLOUT, "post-rollout", "after the release succeeded");
      Hold h = hold(ctx, in, points, me, calls);
      if (h != null) {
        return new Gated(h.decision, calls);
      }
      Release done = out;
      for (Point p : points) {
        GateState st = GateProgress.state(in, p.key);
        if (st != null && !st.hasPassed()) {
          done = done.transition(done.phase(), p.label() + " did not pass within " + p.gate.timeoutSeconds()
              + "s (last answer " + st.answer() + "); the release stays SUCCEEDED, nothing is rolled back",
              ctx.at());
        }
      }
      return new Gated(new Decision(done, d.actions(), d.blocked()), calls);
    }
    return new Gated(d, calls);
  }

  /** One gate at one point of the release; {@code key} names its state in {@code progress.gates}. */
  record Point(String key, Gate gate, String where) {
    String label() {
      return gate.on().key() + " gate " + gate.url() + " (" + where + ")";
    }
  }

  private record Hold(Decision decision) {
  }

  private static void addPoints(List<Point> points, Release r, Gate.On on, String point, String where) {
    for (int i = 0; i < r.gates().size(); i++) {
      if (r.gates().get(i).on() == on) {
        points.add(new Point(point + "#" + i, r.gates().get(i), where));
      }
    }
  }

  /** Null when every gate of {@code points} passed (or, post-rollout, gave up); else the release held there. */
  private static Hold hold(PlanContext ctx, Release in, List<Point> points, String me, List<GateCall> calls) {
    Release r = in;
    List<String> waiting = new ArrayList<>();
    long now = ctx.now();
    for (Point p : points) {
      GateState st = GateProgress.state(r, p.key);
      if (st != null && st.hasPassed()) {
        continue;
      }
      long timeoutMs = p.gate.timeoutSeconds() * 1000L;
      if (st == null) {
        r = ask(ctx, r, p.key, p.gate, p.where, null, me, calls);
        waiting.add(p.label() + ": asking");
        continue;
      }
      long first = or(st.firstAt(), now);
      boolean over = now - first >= timeoutMs;
      if (!st.isAnswered()) {
        boolean lost = !me.equals(st.by()) || now > or(st.askedAt(), now) + timeoutMs + 5000;
        if (lost) {
          r = ask(ctx, r, p.key, p.gate, p.where, st, me, calls);
        }
        waiting.add(p.label() + ": asked (attempt " + GateProgress.state(r, p.key).attempt() + ")");
        continue;
      }
      if (over && p.gate.on() == Gate.On.POST_ROLLOUT) {
        continue;
      }
      String last = "answered " + st.answer() + " (attempt " + st.attempt() + ")";
      if (over && p.gate.onTimeout() == Gate.OnTimeout.ABORT) {
        String why = p.label() + " did not answer 2xx within " + p.gate.timeoutSeconds() + "s; last " + last;
        Release aborting = ReleaseState.withCommon(r, c -> c.withAbort(why));
        return new Hold(Decision.idle(ctx.to(aborting, ReleasePhase.PROGRESSING, "aborting: " + why)));
      }
      if (now >= or(st.nextAt(), now)) {
        r = ask(ctx, r, p.key, p.gate, p.where, st, me, calls);
      }
      waiting.add(p.label() + ": " + last + (over ? "; past its timeout of " + p.gate.timeoutSeconds()
          + "s, onTimeout wait: still asking" : "") + "; asking again at "
          + Instant.ofEpochMilli(or(GateProgress.state(r, p.key).nextAt(), now)));
    }
    if (waiting.isEmpty()) {
      return null;
    }
    String message = "waiting for " + String.join("; ", waiting);
    Release held = r.phase() == ReleasePhase.PROGRESSING ? r.withMessage(message)
        : r.transition(ReleasePhase.PROGRESSING, message, ctx.at());
    return new Hold(Decision.idle(held));
  }

  private static long or(Long value, long otherwise) {
    return value == null ? otherwise : value;
  }

  private static Release ask(PlanContext ctx, Release r, String key, Gate g, String where, GateState st, String me,
                             List<GateCall> calls) {
    GateState next = GateState.ask(st, ctx.now(), me, g.on().key(), g.url());
    int attempt = next.attempt();
    Release asked = GateProgress.put(r, key, next);
    JsonObject payload = new JsonObject().put("kind", "baton.gate").put("on", g.on().key()).put("point", where)
        .put("attempt", attempt).put("app", r.app()).put("releaseId", r.id()).put("fromVersion", r.fromVersion())
        .put("toVersion", r.toVersion()).put("release", asked.toJson());
    calls.add(new GateCall(r.id(), key, g, attempt, where, payload));
    return asked;
  }

  /**
   * The share (basis points) of the new version a decision's route write raises it to, compared with the route in
   * force; a blue-green promotion counts as raising it to 100%. -1 when the decision raises nothing.
   */
  static int raisedShare(PlanContext ctx, Decision d) {
    Release in = ctx.release();
    if (in.strategy() instanceof BlueGreenStrategy && in.step() == 0 && d.release().step() == 1) {
      return 10_000;
    }
    int now = share(ctx.observed().route(), in.toVersion());
    int best = -1;
    for (Action a : d.actions()) {
      if (a instanceof Action.WriteRoute w) {
        int s = share(w.policy(), in.toVersion());
        if (s > now && s > best) {
          best = s;
        }
      }
    }
    return best;
  }

  private static int share(RoutePolicy p, String version) {
    if (p == null) {
      return 0;
    }
    int total = p.split().stream().mapToInt(WeightedVersion::basisPoints).sum();
    int mine = p.split().stream().filter(w -> w.version().equals(version)).mapToInt(WeightedVersion::basisPoints).sum();
    return total == 0 ? 0 : (int) Math.round(mine * 10_000.0 / total);
  }
}
