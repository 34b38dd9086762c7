package dev.baton.registry.release;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Strategy;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builders for planner tables: a spec, a release, and a world described in a few words. */
final class Fixtures {

  static final long NOW = 1_000_000_000L;

  private Fixtures() {
  }

  static AppSpec spec(int instances) {
    return AppSpec.fromJson("shop", new JsonObject().put("instances", instances));
  }

  static Release release(String from, String to, Strategy strategy) {
    return new Release("shop.1", "shop", from, to, strategy, ReleasePhase.PROGRESSING, 0, "started",
        List.of(new HistoryEntry("t", ReleasePhase.PROGRESSING, "started")), new JsonObject());
  }

  static Strategy strategy(String json) {
    return Strategy.fromJson(new JsonObject(json));
  }

  /** A world: {@code "a:1.0.0:H, b:2.0.0:S:20005"} = instance per agent:version:state[:port] (H ready, S starting, U healthy but not passing). */
  static Observed world(String instances, RoutePolicy route) {
    return world(instances, route, NOW, MetricsView.NONE);
  }

  static Observed world(String instances, RoutePolicy route, long now, MetricsView metrics) {
    List<ObservedInstance> out = new ArrayList<>();
    int port = 20000;
    for (String spec : instances.isBlank() ? new String[0] : instances.split(",")) {
      String[] p = spec.trim().split(":");
      InstanceState state = p[2].equals("S") ? InstanceState.STARTING : InstanceState.HEALTHY;
      int at = p.length > 3 ? Integer.parseInt(p[3]) : port;
      port++;
      String id = "shop-" + p[1] + "-" + p[0] + "-" + at;
      out.add(new ObservedInstance(p[0], new Instance(id, "shop", p[1], at, 1, state, "t", null), p[2].equals("H")));
    }
    return new Observed(List.of("a", "b", "c"), out, route, now, metrics);
  }

  static RoutePolicy split(String... versionWeight) {
    Map<String, Integer> m = new TreeMap<>();
    for (String vw : versionWeight) {
      String[] p = vw.split("=");
      m.put(p[0], Integer.parseInt(p[1]));
    }
    return RouteSplits.proportional("shop", m);
  }

  /** Actions in words: {@code start 2.0.0@a}, {@code stop <id>}, {@code route 1.0.0=50,2.0.0=50}. */
  static List<String> words(Decision d) {
    return d.actions().stream().map(Fixtures::word).toList();
  }

  static String word(Action a) {
    if (a instanceof Action.StartInstance s) {
      return "start " + s.version() + "@" + s.agentId() + (s.port() == null ? "" : ":" + s.port());
    }
    if (a instanceof Action.StopInstance s) {
      return "stop " + s.instanceId();
    }
    RoutePolicy p = ((Action.WriteRoute) a).policy();
    StringBuilder sb = new StringBuilder("route ");
    p.split().forEach(w -> sb.append(w.version()).append('=').append(CanaryPlanner.fmt(w.weight())).append(','));
    sb.setLength(sb.length() - 1);
    if (!p.rules().isEmpty()) {
      sb.append(" +rule->").append(p.rules().get(0).version());
    }
    return sb.toString();
  }
}
