package dev.baton.registry.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where new instances go: spread each version of an app across live agents, so losing one host takes as few
 * instances of any version as possible. Each new instance of {@code version} goes to the agent that runs the
 * fewest active instances of that version; ties go to the agent running the fewest active instances of the app
 * (any version), then to the agent id that sorts first, so the choice is deterministic. Counting only the app's
 * total (as before) let a rolling release pile the new version onto the agent that old instances had just left
 * (issue 11: three of three on one agent after two releases).
 */
public final class Placement {

  private Placement() {
  }

  /** Agent ids for {@code count} new instances of {@code version}; empty when no agent is live. */
  public static List<String> agentsFor(Observed observed, String version, int count) {
    List<String> out = new ArrayList<>();
    if (observed.liveAgents().isEmpty()) {
      return out;
    }
    Map<String, int[]> load = new TreeMap<>(); // agent -> {instances of version, instances of the app}
    observed.liveAgents().forEach(a -> load.put(a, new int[2]));
    observed.instances().stream().filter(ObservedInstance::active).forEach(i -> {
      int[] l = load.get(i.agentId());
      if (l != null) {
        l[0] += i.version().equals(version) ? 1 : 0;
        l[1]++;
      }
    });
    Comparator<Map.Entry<String, int[]>> fewest = Comparator.<Map.Entry<String, int[]>>comparingInt(e -> e.getValue()[0])
        .thenComparingInt(e -> e.getValue()[1]);
    for (int k = 0; k < count; k++) {
      Map.Entry<String, int[]> best = load.entrySet().stream().min(fewest).orElseThrow(); // ties: first id (TreeMap)
      out.add(best.getKey());
      best.getValue()[0]++;
      best.getValue()[1]++;
    }
    return out;
  }
}
