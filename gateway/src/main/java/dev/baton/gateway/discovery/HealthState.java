package dev.baton.gateway.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One answer of Consul's {@code /v1/health/state/any}: every check of the cluster with its {@code ModifyIndex}, and
 * which services changed between two answers (docs/ARCHITECTURE.md, Gateway, "Watching Consul with a constant
 * number of connections"). A service changed when one of its checks was added, removed or modified (a status, a
 * tag), or when a <em>node</em> check (serfHealth) of a node it runs on changed: that is how a failed node reaches
 * {@link HealthEntries}. Consul also moves this endpoint's index for a service change that touches no check (a
 * re-registration at another address or port under the same ID, a service without checks): no check tells which
 * service, so {@link #explains} says no and the caller reads every service. Pure.
 */
public final class HealthState {

  /** The answer before the first read. */
  public static final HealthState NONE = new HealthState(Map.of(), Map.of(), Map.of(), 0);

  private final Map<String, Map<String, Long>> serviceChecks;
  private final Map<String, Map<String, Long>> nodeChecks;
  private final Map<String, Set<String>> servicesOnNode;
  private final long index;

  private HealthState(Map<String, Map<String, Long>> serviceChecks, Map<String, Map<String, Long>> nodeChecks,
                      Map<String, Set<String>> servicesOnNode, long index) {
    this.serviceChecks = serviceChecks;
    this.nodeChecks = nodeChecks;
    this.servicesOnNode = servicesOnNode;
    this.index = index;
  }

  /** Parses the JSON array of checks Consul answered at {@code index} (its {@code X-Consul-Index}). */
  public static HealthState parse(JsonArray checks, long index) {
    Map<String, Map<String, Long>> services = new HashMap<>();
    Map<String, Map<String, Long>> nodes = new HashMap<>();
    Map<String, Set<String>> onNode = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      JsonObject c = checks.getJsonObject(i);
      String node = Objects.toString(c.getString("Node"), "");
      String service = c.getString("ServiceName");
      long modified = c.getLong("ModifyIndex", 0L);
      String key = node + "/" + c.getString("CheckID");
      if (service == null || service.isEmpty()) {
        nodes.computeIfAbsent(node, n -> new HashMap<>()).put(key, modified);
      } else {
        services.computeIfAbsent(service, s -> new HashMap<>()).put(key, modified);
        onNode.computeIfAbsent(node, n -> new HashSet<>()).add(service);
      }
    }
    return new HealthState(services, nodes, onNode, index);
  }

  public long index() {
    return index;
  }

  public Set<String> services() {
    return serviceChecks.keySet();
  }

  /**
   * The services whose checks differ between {@code before} and {@code after}, or that have a check on a node whose
   * node checks did. A service without a check on such a node is not named here: see {@link #changedNodes}.
   */
  public static Set<String> changed(HealthState before, HealthState after) {
    Set<String> out = new HashSet<>();
    diff(before.serviceChecks, after.serviceChecks, out::add);
    for (String node : changedNodes(before, after)) {
      out.addAll(before.servicesOnNode.getOrDefault(node, Set.of()));
      out.addAll(after.servicesOnNode.getOrDefault(node, Set.of()));
    }
    return out;
  }

  /** The nodes whose node checks (serfHealth) differ between {@code before} and {@code after}. */
  public static Set<String> changedNodes(HealthState before, HealthState after) {
    Set<String> nodes = new HashSet<>();
    diff(before.nodeChecks, after.nodeChecks, nodes::add);
    return nodes;
  }

  /**
   * True when the checks account for the move of the index from {@code before}'s to {@code after}'s: a check was
   * modified at the new index, or one was removed (a deregistration leaves no check to carry its index). False
   * when the index moved for a change no check shows.
   */
  public static boolean explains(HealthState before, HealthState after) {
    if (after.index == before.index) {
      return true;
    }
    if (after.maxModifyIndex() == after.index) {
      return true;
    }
    return removedAny(before.serviceChecks, after.serviceChecks) || removedAny(before.nodeChecks, after.nodeChecks);
  }

  /**
   * The indexes at which the checks show a change between two answers: the {@code ModifyIndex} of every check added
   * or modified, and the new answer's index when a check was removed. A catalog change at one of these indexes is
   * accounted for by the services {@link #changed} names.
   */
  public static Set<Long> changeIndexes(HealthState before, HealthState after) {
    Set<Long> out = new HashSet<>();
    for (Map.Entry<String, Map<String, Long>> e : after.serviceChecks.entrySet()) {
      Map<String, Long> old = before.serviceChecks.getOrDefault(e.getKey(), Map.of());
      e.getValue().forEach((check, modified) -> {
        if (!modified.equals(old.get(check))) {
          out.add(modified);
        }
      });
    }
    if (removedAny(before.serviceChecks, after.serviceChecks)) {
      out.add(after.index);
    }
    return out;
  }

  private long maxModifyIndex() {
    long max = 0;
    for (Map<String, Long> checks : serviceChecks.values()) {
      for (long m : checks.values()) {
        max = Math.max(max, m);
      }
    }
    for (Map<String, Long> checks : nodeChecks.values()) {
      for (long m : checks.values()) {
        max = Math.max(max, m);
      }
    }
    return max;
  }

  private static void diff(Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after,
                           java.util.function.Consumer<String> changed) {
    for (Map.Entry<String, Map<String, Long>> e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        changed.accept(e.getKey());
      }
    }
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        changed.accept(name);
      }
    }
  }

  private static boolean removedAny(Map<String, Map<String, Long>> before, Map<String, Map<String, Long>> after) {
    for (Map.Entry<String, Map<String, Long>> e : before.entrySet()) {
      Map<String, Long> now = after.get(e.getKey());
      if (now == null || !now.keySet().containsAll(e.getValue().keySet())) {
        return true;
      }
    }
    return false;
  }
}
