package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a release honest about agents that do not answer (docs/ARCHITECTURE.md, Registry, "Truth from every
 * source"). Their instances, taken from Consul, may still serve: a stop cannot reach them, so it is not sent, and
 * the release does not finish (SUCCEEDED, or ABORTED after a rollback) while one of them runs a version the
 * release is removing. It waits, blocked, naming the agents, until they answer again or are declared lost (then
 * their instances count as gone). Pure: applied to every planner's decision.
 */
public final class SuspectGuard {

  private SuspectGuard() {
  }

  public static Decision apply(PlanContext ctx, Decision d) {
    Observed o = ctx.observed();
    List<ObservedInstance> unreachable = o.unreachable();
    if (unreachable.isEmpty()) {
      return d;
    }
    Set<String> live = Set.copyOf(o.liveAgents());
    List<Action> kept = new ArrayList<>();
    List<String> unsent = new ArrayList<>();
    for (Action a : d.actions()) {
      if (a instanceof Action.StopInstance s && !live.contains(s.agentId())) {
        unsent.add(s.instanceId() + " on " + s.agentId());
      } else {
        kept.add(a);
      }
    }
    Release r = ctx.release();
    String keeping = ReleaseState.of(r).aborting() ? r.fromVersion() : r.toVersion();
    List<ObservedInstance> held = unreachable.stream().filter(i -> !Objects.equals(i.version(), keeping)).toList();
    ReleasePhase ends = d.release().phase();
    if ((ends == ReleasePhase.SUCCEEDED || ends == ReleasePhase.ABORTED) && !held.isEmpty()) {
      return Decision.blocked(ctx.note(r, waiting(held, "before the release can end")));
    }
    if (unsent.isEmpty()) {
      return d;
    }
    if (kept.isEmpty()) {
      return Decision.blocked(ctx.note(d.release(), waiting(held.isEmpty() ? unreachable : held,
          "to stop " + String.join(", ", unsent))));
    }
    return new Decision(d.release(), kept, d.blocked());
  }

  private static String waiting(List<ObservedInstance> held, String what) {
    Set<String> agents = new TreeSet<>();
    Set<String> ids = new TreeSet<>();
    held.forEach(i -> {
      agents.add(i.agentId());
      ids.add(i.id() + " (" + i.version() + ")");
    });
    return "waiting for agent(s) " + String.join(", ", agents) + ", which do not answer, " + what + ": "
        + String.join(", ", ids) + " may still serve; they count until the agent answers or its host is lost "
        + "(BATON_HOST_LOST_MS)";
  }
}
