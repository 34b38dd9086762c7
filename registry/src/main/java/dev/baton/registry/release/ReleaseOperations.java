package dev.baton.registry.release;

import dev.baton.common.model.AbortRequest;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
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
      Long warm = ReleaseState.of(r).blueGreen().blueWarmUntil();
      throw new NotAllowedException("release " + r.id() + " is " + r.phase() + "; " + name
          + " applies only to a release that is still running" + (warm != null && warm > now.toEpochMilli()
          ? "; blue " + r.fromVersion() + " is warm until " + Instant.ofEpochMilli(warm) + ": POST /v1/apps/" + r.app()
          + "/rollback flips traffic back to it in one route revision" : ""));
    }
    ReleaseState state = ReleaseState.of(r);
    if (state.aborting() && op != Op.ABORT) {
      throw new NotAllowedException("release " + r.id() + " is being aborted (" + state.abort().orElseThrow()
          + "); " + name + " is no longer possible");
    }
    if (state.aborting()) {
      throw new NotAllowedException("release " + r.id() + " is already being aborted ("
          + state.abort().orElseThrow() + ")");
    }
    CommonState.StepDown stepDown = state.common().stepDown();
    if (stepDown != null && (op != Op.ABORT || abort.gradual())) {
      throw new NotAllowedException("release " + r.id() + " is stepping down in a gradual abort ("
          + stepDown.path() + "); " + (op == Op.ABORT ? "abort without gradual to roll back at once"
          : name + " is no longer possible"));
    }
    if (op == Op.ABORT && abort.gradual()) {
      return GradualAbort.start(r, abort, at);
    }
    boolean paused = state.common().paused();
    return switch (op) {
      case ABORT -> {
        String why = GradualAbort.REASON + (stepDown != null ? " (at once, during the gradual abort)" : "");
        yield ReleaseState.withCommon(r, c -> c.withAbort(why).withPause(false, null).withStepDown(null))
            .transition(ReleasePhase.PROGRESSING, "aborting: " + why, at);
      }
      case PAUSE -> {
        if (paused) {
          throw new NotAllowedException("release " + r.id() + " is already paused by an operator; resume it to go on");
        }
        yield ReleaseState.withCommon(r, c -> c.withBlockedSince(null).withPause(true, now.toEpochMilli()))
            .transition(ReleasePhase.PAUSED, "paused by operator", at);
      }
      case RESUME -> resume(r, state, now, paused);
      case PROMOTE -> promote(r, state, at);
    };
  }

  private static Release resume(Release r, ReleaseState state, Instant now, boolean paused) {
    if (!paused) {
      throw new NotAllowedException("release " + r.id() + " is not paused by an operator"
          + (r.phase() == ReleasePhase.PAUSED ? "; it waits at a manual step: promote it to go on" : ""));
    }
    // The pause held the step's timer: the step resumes with the time it had left.
    Long pausedAt = state.common().pausedAt();
    long held = pausedAt != null && pausedAt > 0 ? Math.max(0, now.toEpochMilli() - pausedAt) : 0;
    Long step = state.canary().stepStartedAt();
    Long green = state.blueGreen().greenReadyAt();
    Release out = state.withCommon(c -> c.withPause(false, null).withBlockedSince(null))
        .withCanary(c -> c.withStepStartedAt(step == null ? null : step + held))
        .withBlueGreen(b -> b.withGreenReadyAt(green == null ? null : green + held)).applyTo(r);
    return Bake.resumed(out, held).transition(ReleasePhase.PROGRESSING, "resumed by operator", now.toString());
  }

  private static Release promote(Release r, ReleaseState state, String at) {
    ReleaseState unpaused = state.withCommon(c -> c.withPause(false, null));
    if (r.strategy() instanceof CanaryStrategy && r.fromVersion() != null) {
      if (state.canary().promoted(r.step())) {
        throw new NotAllowedException("step " + (r.step() + 1) + " of release " + r.id() + " is already promoted");
      }
      return unpaused.withCanary(c -> c.withPromotedStep(r.step())).applyTo(r).transition(ReleasePhase.PROGRESSING,
          Bake.baking(r) ? "bake ended by operator: promoted" : "step " + (r.step() + 1) + " promoted by operator", at);
    }
    if (r.strategy() instanceof BlueGreenStrategy && r.fromVersion() != null) {
      if (r.step() > 0 || state.blueGreen().promote()) {
        throw new NotAllowedException("release " + r.id() + " is already promoted: green takes the traffic");
      }
      return unpaused.withBlueGreen(b -> b.withPromote(true)).applyTo(r)
          .transition(ReleasePhase.PROGRESSING, "promoted by operator", at);
    }
    throw new NotAllowedException("release " + r.id() + " (" + (r.fromVersion() == null ? "first release"
        : r.strategy().type()) + ") has no promotion step; use pause, resume or abort");
  }
}
