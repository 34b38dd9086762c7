package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the results of a decision's actions do to the release, a pure decision (docs/ARCHITECTURE.md, "Typed release
 * state"). In order: a busy port is remembered ({@code portBusy}: the slot starts on any port of that agent) with a
 * note; every note goes to the history; then failures decide:
 * <ul>
 *   <li>a refused start ({@link ActionResult.Kind#START_REFUSED}) aborts the release (health gate);</li>
 *   <li>while aborting, any failure counts ({@code rollbackFailures}) and the release FAILS at
 *       {@code rollbackAttempts};</li>
 *   <li>anything else (an agent that did not answer, a stop or a route write that failed) is retried, the release
 *       blocked since now (the progress deadline runs).</li>
 * </ul>
 */
public final class Outcomes {

  private Outcomes() {
  }

  /** {@code r} with {@code results} recorded at {@code nowMs}; {@code r} itself when there is nothing to record. */
  public static Release record(Release r, List<ActionResult> results, long nowMs, int rollbackAttempts) {
    String at = Instant.ofEpochMilli(nowMs).toString();
    List<String> failures = new ArrayList<>();
    boolean startRefused = false;
    Release out = r;
    for (ActionResult x : results) {
      if (x instanceof ActionResult.Done d) {
        out = d.note() == null ? out : out.transition(out.phase(), d.note(), at);
        continue;
      }
      ActionResult.Failed f = (ActionResult.Failed) x;
      switch (f.kind()) {
        case PORT_BUSY -> out = portBusy(out, (Action.StartInstance) f.action(), f.message(), at);
        case AGENT_UNANSWERED -> failures.add(f.message() + " (the agent did not answer: not a health gate failure;"
            + " the instance is placed again once the agent is suspect or lost)");
        case START_REFUSED -> {
          failures.add(f.message());
          startRefused = true;
        }
        default -> failures.add(f.message());
      }
    }
    if (failures.isEmpty()) {
      return out;
    }
    String failed = String.join("; ", failures);
    CommonState state = ReleaseState.of(out).common();
    if (startRefused && state.abortReason() == null) {
      return ReleaseState.withCommon(out, c -> c.withAbort("health gate: " + failed))
          .transition(ReleasePhase.PROGRESSING, "aborting: health gate: " + failed, at);
    }
    if (state.abortReason() != null) {
      int n = state.rollbackFailures() + 1;
      out = ReleaseState.withCommon(out, c -> c.withRollbackFailures(n));
      return n >= rollbackAttempts ? out.transition(ReleasePhase.FAILED, "rollback failed " + n + " times: " + failed, at)
          : out.transition(out.phase(), "rollback step failed (" + n + "/" + rollbackAttempts + "): " + failed, at);
    }
    return ReleaseState.withCommon(out.transition(out.phase(), failed + "; retrying", at),
        c -> c.blockedSince() != null ? c : c.withBlockedSince(nowMs));
  }

  private static Release portBusy(Release r, Action.StartInstance s, String message, String at) {
    Release out = ReleaseState.withInPlace(r, p -> p.withPortBusy(s.agentId(), s.port()));
    return out.transition(out.phase(), "port " + s.port() + " on agent " + s.agentId() + " is not free yet ("
        + message + "); starting " + s.version() + " on a port the agent picks", at);
  }
}
