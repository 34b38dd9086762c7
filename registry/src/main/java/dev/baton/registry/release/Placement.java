package dev.baton.registry.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where new instances go: spread an app across live agents. Each new instance goes to the agent that
 * runs the fewest active instances of the app (any version) at that moment; ties go to the agent id
 * that sorts first, so the choice is deterministic.
 */
public final class Placement {

  private Placement() {
  }

  /** Agent ids for {@code count} new instances; empty when no agent is live. */
  public static List<String> agentsFor(Observed observed, int count) {
    List<String> out = new ArrayList<>();
    if (observed.liveAgents().isEmpty()) {
      return out;
    }
    Map<String, Integer> load = new TreeMap<>();
    observed.liveAgents().forEach(a -> load.put(a, 0));
    observed.instances().stream().filter(ObservedInstance::active)
        .forEach(i -> load.computeIfPresent(i.agentId(), (a, n) -> n + 1));
    for (int k = 0; k < count; k++) {
      String best = null;
      for (Map.Entry<String, Integer> e : load.entrySet()) {
        if (best == null || e.getValue() < load.get(best)) {
          best = e.getKey();
        }
      }
      out.add(best);
      load.merge(best, 1, Integer::sum);
    }
    return out;
  }
}
