package dev.baton.gateway.routing;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import java.util.List;
import java.util.Map;

/**
 * What Consul told us, as plain values: app specs and route policies by app (the last valid value of
 * each key), the passing instances, and the problems met while reading them.
 */
public record RouteInputs(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies,
                          List<InstanceInfo> instances, List<String> problems) {

  public static final RouteInputs NONE = new RouteInputs(Map.of(), Map.of(), List.of(), List.of());

  public RouteInputs {
    specs = Map.copyOf(specs);
    policies = Map.copyOf(policies);
    instances = List.copyOf(instances);
    problems = List.copyOf(problems);
  }
}
