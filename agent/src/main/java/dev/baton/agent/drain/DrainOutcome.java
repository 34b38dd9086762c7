package dev.baton.agent.drain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a drain ended: which live gateways acknowledged, which did not before the timeout, which acknowledged
 * while still holding requests, which stopped passing in Consul while we waited (a dead gateway routes
 * nothing), and whether there was no gateway at all (then the agent waited one propagation interval instead).
 */
public record DrainOutcome(Set<String> gateways, Set<String> acked, Set<String> unfinished, Set<String> departed,
                           boolean timedOut) {

  public DrainOutcome {
    gateways = Set.copyOf(gateways);
    acked = Set.copyOf(acked);
    unfinished = Set.copyOf(unfinished);
    departed = Set.copyOf(departed);
  }

  public static DrainOutcome noGateways() {
    return new DrainOutcome(Set.of(), Set.of(), Set.of(), Set.of(), false);
  }

  /** Gateways that neither acknowledged nor left. */
  public Set<String> missing() {
    Set<String> out = new TreeSet<>(gateways);
    out.removeAll(acked);
    out.removeAll(departed);
    return out;
  }

  /** True when every gateway confirmed it routes nothing to the instance and nothing is in flight. */
  public boolean clean() {
    return !timedOut && unfinished.isEmpty();
  }

  public String describe(long timeoutMs) {
    if (gateways.isEmpty()) {
      return "no live gateway; waited one propagation interval";
    }
    if (timedOut) {
      return "drain timed out after " + timeoutMs + " ms waiting for gateways " + missing();
    }
    if (!unfinished.isEmpty()) {
      return "gateways " + new TreeSet<>(unfinished) + " gave up with requests still in flight";
    }
    return "drained by " + acked.size() + " gateway(s)"
        + (departed.isEmpty() ? "" : "; " + new TreeSet<>(departed) + " stopped passing in Consul meanwhile");
  }

  public JsonObject toJson() {
    return new JsonObject().put("gateways", sorted(gateways)).put("acked", sorted(acked))
        .put("missing", sorted(missing())).put("unfinished", sorted(unfinished)).put("departed", sorted(departed))
        .put("timedOut", timedOut);
  }

  private static JsonArray sorted(Set<String> s) {
    return new JsonArray(List.copyOf(new TreeSet<>(s)));
  }
}
