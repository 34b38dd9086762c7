package dev.baton.registry.release;

import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.Locale;

/**
 * Operator operations on a release, as pure transitions. Each returns the release to persist (the
 * controller acts on it at its next look) or throws {@link NotAllowedException} (HTTP 409). Repeating
 * an operation that already took effect returns the release unchanged.
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

  public static Release apply(Op op, Release r, String at) {
    String name = op.name().toLowerCase(Locale.ROOT);
    if (r.phase().isTerminal()) {
      throw new NotAllowedException("release " + r.id() + " is " + r.phase() + "; " + name
          + " applies only to a release that is still running");
    }
    boolean aborting = r.progress().containsKey(Progress.ABORT);
    if (aborting && op != Op.ABORT) {
      throw new NotAllowedException("release " + r.id() + " is being aborted (" + r.progress().getString(Progress.ABORT)
          + "); " + name + " is no longer possible");
    }
    return switch (op) {
      case ABORT -> aborting ? r : PlanContext.without(
              PlanContext.with(r, Progress.ABORT, "aborted by operator"), Progress.PAUSED)
          .transition(ReleasePhase.PROGRESSING, "aborting: aborted by operator", at);
      case PAUSE -> r.progress().getBoolean(Progress.PAUSED, false) ? r
          : PlanContext.with(PlanContext.without(r, Progress.BLOCKED_SINCE), Progress.PAUSED, true)
              .transition(ReleasePhase.PAUSED, "paused by operator", at);
      case RESUME -> resume(r, at);
      case PROMOTE -> promote(r, at);
    };
  }

  private static Release resume(Release r, String at) {
    if (r.progress().getBoolean(Progress.PAUSED, false)) {
      return PlanContext.without(r, Progress.PAUSED, Progress.BLOCKED_SINCE)
          .transition(ReleasePhase.PROGRESSING, "resumed by operator", at);
    }
    if (r.phase() == ReleasePhase.PAUSED) {
      return promote(r, at); // a strategy pause waiting for the operator: resuming it means going on
    }
    return r;
  }

  private static Release promote(Release r, String at) {
    Release unpaused = PlanContext.without(r, Progress.PAUSED);
    if (r.strategy() instanceof CanaryStrategy && r.fromVersion() != null) {
      if (r.progress().getInteger(Progress.PROMOTE, -1) == r.step()) {
        return r;
      }
      return PlanContext.with(unpaused, Progress.PROMOTE, r.step())
          .transition(ReleasePhase.PROGRESSING, "step " + (r.step() + 1) + " promoted by operator", at);
    }
    if (r.strategy() instanceof BlueGreenStrategy && r.fromVersion() != null) {
      if (r.step() > 0 || r.progress().getBoolean(Progress.PROMOTE, false)) {
        return r;
      }
      return PlanContext.with(unpaused, Progress.PROMOTE, true)
          .transition(ReleasePhase.PROGRESSING, "promoted by operator", at);
    }
    throw new NotAllowedException("release " + r.id() + " (" + (r.fromVersion() == null ? "first release"
        : r.strategy().type()) + ") has no promotion step; use pause, resume or abort");
  }
}
