package dev.baton.registry.release;

import dev.baton.common.model.RoutePolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the controller saw of an app before planning: live agents, the app's instances on them, the
 * route policy in force (null when none was written), the time, and gateway metrics.
 */
public record Observed(List<String> liveAgents, List<ObservedInstance> instances, RoutePolicy route, long nowMs,
                       MetricsView metrics) {

  public Observed {
    liveAgents = List.copyOf(liveAgents);
    instances = List.copyOf(instances);
  }

  public List<ObservedInstance> active(String version) {
    return instances.stream().filter(i -> i.active() && i.version().equals(version)).toList();
  }

  public List<ObservedInstance> ready(String version) {
    return instances.stream().filter(i -> i.ready() && i.version().equals(version)).toList();
  }

  /** Active instances of every version other than {@code version}. */
  public List<ObservedInstance> activeExcept(String version) {
    return instances.stream().filter(i -> i.active() && !i.version().equals(version)).toList();
  }

  /** Ready instance count per version, sorted by version. */
  public Map<String, Integer> readyCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    instances.stream().filter(ObservedInstance::ready).forEach(i -> counts.merge(i.version(), 1, Integer::sum));
    return counts;
  }
}
