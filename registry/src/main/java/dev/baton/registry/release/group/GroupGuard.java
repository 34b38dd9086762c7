package dev.baton.registry.release.group;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.Decision;
import dev.baton.registry.release.PlanContext;
import dev.baton.registry.release.ReleaseState;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the members of a release group together (docs/registry-api.md, "Release groups"; docs/ARCHITECTURE.md,
 * "Release groups"). Pure, applied to a member's decision after the planners, like the gates.
 *
 * <p><b>Hold.</b> Steps are aligned by index below each member's promotion step ({@link GroupView#promotion}):
 * a member that finished step {@code k} (its planner moves it to {@code k + 1}) waits at {@code k}, marked
 * {@code group.heldAt = k}, until every other member finished its own step {@code k} — or its last step below 100%
 * when it has fewer. The promotion itself (the step that gives the new version 100%, a blue-green switch) waits until
 * every member finished every step below its own promotion, so no member reaches 100% while another still runs a
 * partial canary; a rolling or first release, which has no partial step, starts only then. Once promoting, a member
 * is never held.
 *
 * <p><b>Abort.</b> A member that sees another aborting, aborted or failed aborts too, its history naming the member
 * and its reason ({@link #propagate}), whatever its own state (an operator's pause included).
 */
public final class GroupGuard {

  private GroupGuard() {
  }

  /** The aborting copy of {@code r} when another member of its group brings the group down; else null. */
  public static Release propagate(Release r, GroupView view, String at) {
    if (view.none() || r.phase().isTerminal() || ReleaseState.of(r).aborting()) {
      return null;
    }
    String prefix = prefix(view);
    GroupView.Member cause = null;
    for (GroupView.Member m : view.others()) {
      String f = m.failure();
      boolean original = f != null && (m.abort() == null || !m.abort().startsWith(prefix));
      if (f != null && (cause == null || original && cause.abort() != null && cause.abort().startsWith(prefix))) {
        cause = m;
      }
    }
    if (cause == null) {
      return null;
    }
    String why = cause.abort() != null && cause.abort().startsWith(prefix) ? cause.abort()
        : prefix + "member " + cause.app() + " " + cause.failure();
    return aborting(r, why, at);
  }

  /** {@code r} aborting for {@code why}, an operator's pause or a gradual step-down left behind. */
  public static Release aborting(Release r, String why, String at) {
    return ReleaseState.withCommon(r, c -> c.withAbort(why).withPause(false, null).withStepDown(null))
        .transition(ReleasePhase.PROGRESSING, "aborting: " + why, at);
  }

  /** {@code d}, or the member held at its step while others have not finished theirs. */
  public static Decision apply(PlanContext ctx, Decision d, GroupView view) {
    Release in = ctx.release();
    Release out = d.release();
    ReleaseState before = ReleaseState.of(in);
    if (view.none() || in.group() == null || ReleaseState.of(out).aborting() || before.aborting()
        || before.common().stepDown() != null) {
      return d;
    }
    int promotion = GroupView.promotion(in);
    int k = in.step();
    boolean moving = promotion == 0
        ? !d.actions().isEmpty() || out.step() > k || out.phase().isTerminal()
        : k < promotion && out.step() > k;
    if (!moving) {
      return d;
    }
    boolean promoting = k + 1 >= promotion;
    List<String> waiting = new ArrayList<>();
    for (GroupView.Member m : view.others()) {
      int required = promoting ? m.promotion() - 1 : Math.min(k, m.promotion() - 1);
      if (!m.passed(required)) {
        waiting.add(describe(m));
      }
    }
    if (waiting.isEmpty()) {
      return d;
    }
    String done = promotion == 0 ? "ready to start" : "step " + (k + 1) + "/" + GroupView.steps(in) + " done";
    String message = prefix(view) + done + (promoting ? ", ready to promote" : "") + "; waiting for "
        + String.join(", ", waiting);
    Release held = in.withGroup(in.group().held(k));
    boolean first = !in.group().heldAt(k) || in.phase() != ReleasePhase.PROGRESSING;
    held = first ? held.transition(ReleasePhase.PROGRESSING, message, ctx.at()) : held.withMessage(message);
    return Decision.idle(held);
  }

  static String prefix(GroupView view) {
    return "group " + view.groupId() + ": ";
  }

  /** {@code billing (step 1/2: inconclusive: 9 canary requests, 20 needed)}. */
  static String describe(GroupView.Member m) {
    String where = m.phase() == ReleasePhase.PENDING ? "pending"
        : m.steps() > 1 && m.promotion() > 0 ? "step " + (Math.min(m.step(), m.steps() - 1) + 1) + "/" + m.steps()
        : m.kind();
    String what = m.heldAt() == m.step() && m.step() < m.promotion() ? "done, waiting for the group"
        : m.phase() == ReleasePhase.PAUSED ? "paused: " + brief(m.message()) : brief(m.message());
    return m.app() + " (" + where + ": " + what + ")";
  }

  /** A member's message without its own step label, at most 120 characters. */
  private static String brief(String message) {
    String s = message == null ? "" : message;
    if (s.startsWith("step ") && s.contains(": ")) {
      s = s.substring(s.indexOf(": ") + 2);
    }
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
