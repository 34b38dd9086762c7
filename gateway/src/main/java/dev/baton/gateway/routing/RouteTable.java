package dev.baton.gateway.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of everything routing needs: the apps in match order, their policies and their
 * passing instances. A new table replaces the old one in a single reference swap, so a request sees
 * either the old or the new policy, never a mix (DESIGN.md §5.4). Never null: before Consul was read the
 * table is {@link #EMPTY}.
 */
public final class RouteTable {

  public static final RouteTable EMPTY = new RouteTable(List.of(), null, List.of(), 0);

  private final List<AppRoute> ordered;
  private final AppRoute[] matchOrder;
  private final Map<String, AppRoute> byName;
  private final AppRoute defaultApp;
  private final List<String> problems;
  private final long builtAtMillis;

  private final Map<String, List<String>> appProblems;

  RouteTable(List<AppRoute> ordered, String defaultApp, List<String> problems, long builtAtMillis) {
    this(ordered, defaultApp, problems, Map.of(), builtAtMillis);
  }

  RouteTable(List<AppRoute> ordered, String defaultApp, List<String> problems, Map<String, List<String>> appProblems,
             long builtAtMillis) {
    this.appProblems = Map.copyOf(appProblems);
    this.ordered = List.copyOf(ordered);
    this.matchOrder = ordered.toArray(new AppRoute[0]);
    this.byName = new HashMap<>();
    ordered.forEach(a -> byName.put(a.name(), a));
    this.defaultApp = defaultApp == null ? null : byName.get(defaultApp);
    this.problems = List.copyOf(problems);
    this.builtAtMillis = builtAtMillis;
  }

  /**
   * The app for a request: the first app in match order whose hosts and path prefix match (explicit specs
   * before spec-less apps, longer prefixes first, host-specific before any-host, the default app before
   * others on a tie), else the default app, else null.
   */
  public AppRoute select(String host, String path) {
    AppRoute[] apps = matchOrder;
    for (AppRoute app : apps) {
      if (app.matchesPath(path) && app.matchesHost(host)) {
        return app;
      }
    }
    return defaultApp;
  }

  public AppRoute app(String name) {
    return byName.get(name);
  }

  public List<AppRoute> apps() {
    return ordered;
  }

  public AppRoute defaultApp() {
    return defaultApp;
  }

  /** Things an operator should fix (invalid KV values, ambiguous routing, policies naming missing versions). */
  public List<String> problems() {
    return problems;
  }

  /** The problems of one app's own route (a policy naming a version without instances), kept for a rebuild. */
  List<String> appProblems(String app) {
    return appProblems.getOrDefault(app, List.of());
  }

  public long builtAtMillis() {
    return builtAtMillis;
  }

  /** Every host name an explicit spec routes, lower case (wildcards as written). */
  public boolean servesHost(String host) {
    for (AppRoute app : matchOrder) {
      if (app.explicit() && !app.hosts().isEmpty() && app.matchesHost(host)) {
        return true;
      }
    }
    return false;
  }
}
