package dev.baton.gateway.routing;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Routing;
import dev.baton.common.model.WeightedVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds a {@link RouteTable} from {@link RouteInputs}: a pure function of its arguments (the upstream
 * lookup only hands back the runtime state object for an instance). Apps come from specs, policies and
 * instances alike; an app without a spec gets the default routing (any host, prefix {@code /}) at lower
 * priority than every explicit spec.
 */
public final class RouteTableBuilder {

  static final Comparator<AppRoute> MATCH_ORDER = Comparator
      .comparing(AppRoute::explicit).reversed()
      .thenComparing(Comparator.comparingInt((AppRoute a) -> a.pathPrefix().length()).reversed())
      .thenComparing(Comparator.comparing((AppRoute a) -> !a.hosts().isEmpty()).reversed());

  private RouteTableBuilder() {
  }

  /** The whole table: every app built from {@code in}. */
  public static RouteTable build(RouteInputs in, Function<InstanceInfo, Upstream> upstreams, String defaultApp,
                                 long nowMillis) {
    return update(RouteTable.EMPTY, in, null, upstreams, defaultApp, nowMillis);
  }

  /**
   * The table for {@code in}, rebuilding only the apps named in {@code changed} (all when null) and taking every
   * other app's {@link AppRoute}, and the problems it had, from {@code previous} as it is: an app whose spec, policy
   * and instances did not change builds to the same route. The match order and the ambiguity check still cover
   * every app. {@code previous} must have been built from the same inputs but for the changed apps, with the same
   * {@code defaultApp}; equal to {@link #build} then (docs/ARCHITECTURE.md, Gateway, "Rebuilding only what changed").
   */
  public static RouteTable update(RouteTable previous, RouteInputs in, Set<String> changed,
                                  Function<InstanceInfo, Upstream> upstreams, String defaultApp, long nowMillis) {
    Map<String, Map<String, List<Upstream>>> byApp = new TreeMap<>();
    Set<String> withInstances = new HashSet<>();
    for (Map.Entry<String, List<InstanceInfo>> e : in.byApp().entrySet()) {
      String app = e.getKey();
      withInstances.add(app);
      if (changed == null || changed.contains(app) || previous.app(app) == null) {
        Map<String, List<Upstream>> versions = byApp.computeIfAbsent(app, a -> new TreeMap<>());
        for (InstanceInfo i : e.getValue()) {
          versions.computeIfAbsent(i.version(), v -> new ArrayList<>()).add(upstreams.apply(i));
        }
      }
    }
    TreeSet<String> names = new TreeSet<>(withInstances);
    names.addAll(in.specs().keySet());
    names.addAll(in.policies().keySet());

    List<AppRoute> routes = new ArrayList<>();
    Map<String, List<String>> appProblems = new HashMap<>();
    List<String> problems = new ArrayList<>(in.problems());
    for (String name : names) {
      AppRoute before = previous.app(name);
      List<String> own;
      AppRoute route;
      if (changed != null && !changed.contains(name) && before != null) { // unchanged: the same route
        route = before;
        own = previous.appProblems(name);
      } else {
        own = new ArrayList<>();
        route = app(name, in.specs().get(name), in.policies().get(name), byApp.getOrDefault(name, Map.of()), own);
      }
      routes.add(route);
      if (!own.isEmpty()) {
        appProblems.put(name, List.copyOf(own));
        problems.addAll(own);
      }
    }
    Comparator<AppRoute> order = MATCH_ORDER
        .thenComparing((AppRoute a) -> !a.name().equals(defaultApp))
        .thenComparing(AppRoute::name);
    routes.sort(order);
    reportAmbiguity(routes, defaultApp, problems);
    if (defaultApp != null && !names.contains(defaultApp)) {
      problems.add("BATON_DEFAULT_APP names '" + defaultApp + "', which has no spec, policy or instance");
    }
    return new RouteTable(routes, defaultApp, problems, appProblems, nowMillis);
  }

  private static AppRoute app(String name, AppSpec spec, RoutePolicy policy, Map<String, List<Upstream>> instances,
                              List<String> problems) {
    Routing routing = spec == null ? Routing.defaults() : spec.routing();
    Map<String, VersionRoute> versions = new TreeMap<>();
    instances.forEach((v, ups) -> {
      List<Upstream> sorted = new ArrayList<>(ups);
      sorted.sort(Comparator.comparing(u -> u.info().key()));
      versions.put(v, new VersionRoute(name, v, sorted));
    });

    String[] stickyVersions = new String[0];
    int[] stickyCumulative = new int[0];
    List<VersionRoute> effective = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    if (policy != null) {
      List<WeightedVersion> split = policy.split();
      int n = split.size();
      stickyVersions = new String[n];
      stickyCumulative = new int[n];
      int cum = 0;
      for (int i = 0; i < n; i++) {
        WeightedVersion w = split.get(n - 1 - i);
        cum += w.basisPoints();
        stickyVersions[i] = w.version();
        stickyCumulative[i] = cum;
      }
      for (WeightedVersion w : split) {
        VersionRoute vr = versions.get(w.version());
        if (w.basisPoints() > 0 && vr == null) {
          problems.add("app " + name + ": policy revision " + policy.revision() + " gives " + w.weight()
              + "% to version " + w.version() + ", which has no passing instance; its share goes to the others");
        } else if (w.basisPoints() > 0) {
          effective.add(vr);
          weights.add(w.basisPoints());
        }
      }
      policy.rules().stream().map(r -> r.version()).distinct().filter(v -> !versions.containsKey(v))
          .forEach(v -> problems.add("app " + name + ": a rule sends requests to version " + v
              + ", which has no passing instance (they get 503)"));
    } else {
      versions.values().forEach(vr -> {
        effective.add(vr);
        weights.add(1);
      });
    }
    int[] cumulative = new int[effective.size()];
    int cum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      cum += weights.get(i);
      cumulative[i] = cum;
    }
    return new AppRoute(name, routing.hosts(), routing.pathPrefix(), spec != null, policy, versions,
        stickyVersions, stickyCumulative, effective.toArray(new VersionRoute[0]), cumulative);
  }

  private static void reportAmbiguity(List<AppRoute> routes, String defaultApp, List<String> problems) {
    for (int i = 1; i < routes.size(); i++) {
      AppRoute a = routes.get(i - 1);
      AppRoute b = routes.get(i);
      if (MATCH_ORDER.compare(a, b) == 0 && a.hosts().equals(b.hosts())
          && a.pathPrefix().equals(b.pathPrefix())) {
        String winner = Objects.equals(a.name(), defaultApp) ? a.name() + " (BATON_DEFAULT_APP)" : a.name();
        problems.add("apps " + a.name() + " and " + b.name() + " match the same requests (hosts " + a.hosts()
            + ", prefix " + a.pathPrefix() + "); " + winner + " wins. Give them distinct routing or set BATON_DEFAULT_APP");
      }
    }
  }
}
