package dev.baton.registry.release;

import dev.baton.common.model.RoutePolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the controller saw of an app before planning: live agents (passing in Consul and answering), the app's
 * instances, the route policy in force (null when none was written), the time, gateway metrics, and the
 * suspect agents: those that stopped passing or answering less than {@code BATON_HOST_LOST_MS} ago. The
 * instances of a suspect agent come from Consul's catalog and count as possibly serving until the agent
 * answers again or is lost (docs/ARCHITECTURE.md, Registry, "Truth from every source"); and the answers of the
 * release's Prometheus queries, when its analysis has some.
 */
public record Observed(List<String> liveAgents, List<ObservedInstance> instances, RoutePolicy route, long nowMs,
                       MetricsView metrics, List<String> suspectAgents, PrometheusReadings prometheus) {

  public Observed {
    liveAgents = List.copyOf(liveAgents);
    instances = List.copyOf(instances);
    suspectAgents = List.copyOf(suspectAgents);
    prometheus = prometheus == null ? PrometheusReadings.NONE : prometheus;
  }

  /** A world without Prometheus answers. */
  public Observed(List<String> liveAgents, List<ObservedInstance> instances, RoutePolicy route, long nowMs,
                  MetricsView metrics, List<String> suspectAgents) {
    this(liveAgents, instances, route, nowMs, metrics, suspectAgents, PrometheusReadings.NONE);
  }

  /** This world with the answers of the release's Prometheus queries. */
  public Observed withPrometheus(PrometheusReadings readings) {
    return new Observed(liveAgents, instances, route, nowMs, metrics, suspectAgents, readings);
  }

  /** A world with no suspect agent. */
  public Observed(List<String> liveAgents, List<ObservedInstance> instances, RoutePolicy route, long nowMs,
                  MetricsView metrics) {
    this(liveAgents, instances, route, nowMs, metrics, List.of());
  }

  /** Instances on agents that are not live (taken from Consul while their agent does not answer). */
  public List<ObservedInstance> unreachable() {
    return instances.stream().filter(i -> !liveAgents.contains(i.agentId())).toList();
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
