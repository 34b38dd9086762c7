package dev.baton.gateway.routing;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Consul told us, as plain values: app specs and route policies by app (the last valid value of each key), the
 * passing instances by app, and the problems met while reading them. The instances are kept by app, as the watcher
 * reads them, so an app whose instances did not change hands the next inputs the very same list, and telling the
 * changed apps apart costs a reference comparison per app, not one per instance (docs/ARCHITECTURE.md, Gateway,
 * "Rebuilding only what changed").
 */
public final class RouteInputs {

  public static final RouteInputs NONE = new RouteInputs(Map.of(), Map.of(), List.of(), List.of());

  private final Map<String, AppSpec> specs;
  private final Map<String, RoutePolicy> policies;
  private final Map<String, List<InstanceInfo>> byApp;
  private final List<String> problems;
  private final int instanceCount;

  /** From a flat list of instances, grouped here by app. */
  public RouteInputs(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies, List<InstanceInfo> instances,
                     List<String> problems) {
    this(specs, policies, group(instances), problems);
  }

  private RouteInputs(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies,
                      Map<String, List<InstanceInfo>> byApp, List<String> problems) {
    this.specs = Map.copyOf(specs);
    this.policies = Map.copyOf(policies);
    Map<String, List<InstanceInfo>> nonEmpty = new HashMap<>();
    int count = 0;
    for (Map.Entry<String, List<InstanceInfo>> e : byApp.entrySet()) {
      if (!e.getValue().isEmpty()) {
        nonEmpty.put(e.getKey(), e.getValue());
        count += e.getValue().size();
      }
    }
    this.byApp = Map.copyOf(nonEmpty);
    this.problems = List.copyOf(problems);
    this.instanceCount = count;
  }

  /**
   * From instances already grouped by app: each list must hold only that app's instances and must never change
   * afterwards (the watcher replaces a list, it never edits one).
   */
  public static RouteInputs byApp(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies,
                                  Map<String, List<InstanceInfo>> byApp, List<String> problems) {
    return new RouteInputs(specs, policies, byApp, problems);
  }

  private static Map<String, List<InstanceInfo>> group(List<InstanceInfo> instances) {
    Map<String, List<InstanceInfo>> out = new HashMap<>();
    for (InstanceInfo i : instances) {
      out.computeIfAbsent(i.app(), a -> new ArrayList<>()).add(i);
    }
    out.replaceAll((app, list) -> List.copyOf(list));
    return out;
  }

  public Map<String, AppSpec> specs() {
    return specs;
  }

  public Map<String, RoutePolicy> policies() {
    return policies;
  }

  /** The passing instances by app; an app without any is absent. */
  public Map<String, List<InstanceInfo>> byApp() {
    return byApp;
  }

  /** Every passing instance, app by app (a new list each call: for tests and reports). */
  public List<InstanceInfo> instances() {
    List<InstanceInfo> all = new ArrayList<>(instanceCount);
    byApp.values().forEach(all::addAll);
    return all;
  }

  public int instanceCount() {
    return instanceCount;
  }

  public List<String> problems() {
    return problems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteInputs other && specs.equals(other.specs) && policies.equals(other.policies)
        && byApp.equals(other.byApp) && problems.equals(other.problems);
  }

  @Override
  public int hashCode() {
    return Objects.hash(specs, policies, byApp, problems);
  }

  @Override
  public String toString() {
    return "RouteInputs[" + specs.size() + " spec(s), " + policies.size() + " policies, " + instanceCount
        + " instance(s) of " + byApp.size() + " app(s), problems " + problems + "]";
  }
}
