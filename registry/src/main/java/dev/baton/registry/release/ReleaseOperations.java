package dev.baton.registry.release;

import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * Operator operations on a release, as pure transitions. Each returns the release to persist (the
 * controller acts on it at its next look) or throws {@link NotAllowedException} (HTTP 409) saying why it does
 * not apply — an operation that would change nothing (pause a paused release, resume one that is not paused,
 * promote a step already promoted) is refused too, so a script learns it did nothing. {@code resume} only undoes
 * {@code pause}; going past a manual step is {@code promote}. A pause holds the step's timer: the time paused
 * does not count towards a timed canary pause (docs/registry-api.md, "operations").
 */
public final class ReleaseOperations {

  /** The closed set of operations of {@code POST /v1/releases/{id}/<op>}. */
  public enum Op {
    PROMOTE, PAUSE, RESUME, ABORT;

    public static Op parse(String s) {
      try {
        return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /** The operation does not apply to the release in its current state. */
  public static final class NotAllowedException extends RuntimeException {
    public NotAllowedException(String message) {
      super(message);
    }
  }

  private ReleaseOperations() {
  }

  public static Release apply(Op op, Release r, Instant now) {
    return apply(op, r, now, AbortRequest.IMMEDIATE);
  }

  /** {@code abort} takes its request: at once, or a canary's gradual step-down ({@link GradualAbort}). */
  public static Release apply(Op op, Release r, Instant now, AbortRequest abort) {
    String at = now.toString();
    String name = op.name().toLowerCase(Locale.ROOT);
    if (r.phase().isTerminal()) {
      Long warm = r.progress().getLong(Progress.BLUE_WARM_UNTIL);
      throw new NotAllowedException("release " + r.id() + " is " + r.phase() + "; " + name
          + " applies only to a release that is still running" + (warm != null && warm > now.toEpochMilli()
          ? "; blue " + r.fromVersion() + " is warm until " + Instant.ofEpochMilli(warm) + ": POST /v1/apps/" + r.app()
          + "/rollback flips traffic back to it in one route revision" : ""));
    }
    boolean aborting = r.progress().containsKey(Progress.ABORT);
    if (aborting && op != Op.ABORT) {
      throw new NotAllowedException("release " + r.id() + " is being aborted (" + r.progress().getString(Progress.ABORT)
          + "); " + name + " is no longer possible");
    }
    if (aborting) {
      throw new NotAllowedException("release " + r.id() + " is already being aborted ("
          + r.progress().getString(Progress.ABORT) + ")");
    }
    JsonObject stepDown = r.progress().getJsonObject(Progress.STEP_DOWN);
    if (stepDown != null && (op != Op.ABORT || abort.gradual())) {
      throw new NotAllowedException("release " + r.id() + " is stepping down in a gradual abort ("
          + stepDown.getString("path") + "); " + (op == Op.ABORT ? "abort without gradual to roll back at once"
          : name + " is no longer possible"));
    }
    if (op == Op.ABORT && abort.gradual()) {
      return GradualAbort.start(r, abort, at);
    }
    boolean paused = r.progress().getBoolean(Progress.PAUSED, false);
    return switch (op) {
      case ABORT -> {
        String why = GradualAbort.REASON + (stepDown != null ? " (at once, during the gradual abort)" : "");
        yield PlanContext.without(PlanContext.with(r, Progress.ABORT, why), Progress.PAUSED, Progress.PAUSED_AT,
                Progress.STEP_DOWN)
            .transition(ReleasePhase.PROGRESSING, "aborting: " + why, at);
      }
      case PAUSE -> {
        if (paused) {
          throw new NotAllowedException("release " + r.id() + " is already paused by an operator; resume it to go on");
        }
        yield PlanContext.with(PlanContext.with(PlanContext.without(r, Progress.BLOCKED_SINCE), Progress.PAUSED, true),
                Progress.PAUSED_AT, now.toEpochMilli())
            .transition(ReleasePhase.PAUSED, "paused by operator", at);
      }
      case RESUME -> resume(r, now, paused);
      case PROMOTE -> promote(r, at);
    };
  }

  private static Release resume(Release r, Instant now, boolean paused) {
    if (!paused) {
      throw new NotAllowedException("release " + r.id() + " is not paused by an operator"
          + (r.phase() == ReleasePhase.PAUSED ? "; it waits at a manual step: promote it to go on" : ""));
    }
    Release out = PlanContext.without(r, Progress.PAUSED, Progress.PAUSED_AT, Progress.BLOCKED_SINCE);
    // The pause held the step's timer: the step resumes with the time it had left.
    long pausedAt = r.progress().getLong(Progress.PAUSED_AT, -1L);
    long held = pausedAt > 0 ? Math.max(0, now.toEpochMilli() - pausedAt) : 0;
    for (String timer : new String[] {Progress.STEP_STARTED_AT, Progress.GREEN_READY_AT}) {
      Long since = r.progress().getLong(timer);
      if (since != null && held > 0) {
        out = PlanContext.with(out, timer, since + held);
      }
    }
    out = Bake.resumed(out, held);
    return out.transition(ReleasePhase.PROGRESSING, "resumed by operator", now.toString());
  }

  private static Release promote(Release r, String at) {
    Release unpaused = PlanContext.without(r, Progress.PAUSED, Progress.PAUSED_AT);
    if (r.strategy() instanceof CanaryStrategy && r.fromVersion() != null) {
      if (r.progress().getInteger(Progress.PROMOTE, -1) == r.step()) {
        throw new NotAllowedException("step " + (r.step() + 1) + " of release " + r.id() + " is already promoted");
      }
      return PlanContext.with(unpaused, Progress.PROMOTE, r.step()).transition(ReleasePhase.PROGRESSING,
          Bake.baking(r) ? "bake ended by operator: promoted" : "step " + (r.step() + 1) + " promoted by operator", at);
    }
    if (r.strategy() instanceof BlueGreenStrategy && r.fromVersion() != null) {
      if (r.step() > 0 || r.progress().getBoolean(Progress.PROMOTE, false)) {
        throw new NotAllowedException("release " + r.id() + " is already promoted: green takes the traffic");
      }
      return PlanContext.with(unpaused, Progress.PROMOTE, true)
          .transition(ReleasePhase.PROGRESSING, "promoted by operator", at);
    }
    throw new NotAllowedException("release " + r.id() + " (" + (r.fromVersion() == null ? "first release"
        : r.strategy().type()) + ") has no promotion step; use pause, resume or abort");
  }
}
