package dev.baton.registry.api;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ConfigOverrides;
import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.Secrets;
import dev.baton.registry.reconcile.AppHealth;
import dev.baton.registry.reconcile.AppStatus;
import dev.baton.registry.reconcile.HostState;
import dev.baton.registry.reconcile.ReconcilePlanner;
import dev.baton.registry.release.RouteSplits;
import dev.baton.registry.release.VersionConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/apps/{app}} (docs/registry-api.md, "App view"): the spec, the route, Consul's instances, the
 * active release, and the app's health: {@code desired}, {@code passing} (passing instances of the current
 * version, from Consul now), {@code status} with its {@code reason}, {@code since} and the reconciler's
 * {@code lastAction} (from KV {@code baton/status/<app>}, written by the leader), and {@code placement} per agent.
 * Each instance and each agent of the placement carries {@code agentUrl}, the agent's API address as it registered
 * it in Consul (null when the agent is not known), so a client that knows only the registry can reach the agent's
 * log endpoint (docs/registry-api.md, "App view"). {@code versions} shows the config each running version has
 * (docs/ARCHITECTURE.md, "Config rolls back with the code"). Pure, so every registry answers the same from the same inputs.
 */
final class AppView {

  private AppView() {
  }

  /**
   * The view with {@code versions}: the config each running version has, from the app's releases (oldest first);
   * and {@code warm} {@code {version, until}}: the previous version a succeeded blue-green release keeps warm, or null.
   */
  static JsonObject of(AppSpec spec, RoutePolicy route, JsonArray instances, List<Release> history,
                       Optional<AppStatus> status, Map<String, HostState> hosts, Map<String, String> agentUrls,
                       long nowMs) {
    JsonObject view = of(spec, route, instances, ReleaseService.activeOf(history), status, hosts, agentUrls);
    ReconcilePlanner.Warm warm = ReconcilePlanner.Warm.of(history, nowMs);
    view.put("warm", warm == null ? null : new JsonObject().put("version", warm.version())
        .put("until", java.time.Instant.ofEpochMilli(warm.untilMs()).toString()));
    return view.put("versions", versions(spec, view.getString("version"), view.getJsonArray("instances"), history));
  }

  /**
   * {@code [{version, current, instances, env, command, overrides: {env, command?}}]}: the current version first, then
   * every other version that has an instance; {@code env} and {@code command} are what its instances are started
   * with (the spec's, overridden by its release: {@link VersionConfig}), secret-looking values shown as
   * {@value Secrets#MASK} ({@link Secrets}).
   */
  static JsonArray versions(AppSpec spec, String current, JsonArray instances, List<Release> history) {
    Map<String, Integer> counts = new TreeMap<>();
    instances.stream().map(o -> ((JsonObject) o).getString("version")).filter(v -> v != null)
        .forEach(v -> counts.merge(v, 1, Integer::sum));
    Set<String> order = new LinkedHashSet<>();
    if (current != null) {
      order.add(current);
    }
    order.addAll(counts.keySet());
    JsonArray out = new JsonArray();
    for (String v : order) {
      ConfigOverrides o = VersionConfig.of(history, v);
      out.add(new JsonObject().put("version", v).put("current", v.equals(current))
          .put("instances", counts.getOrDefault(v, 0))
          .put("env", new JsonObject(new TreeMap<String, Object>(Secrets.redact(o.envOver(spec.env())))))
          .put("command", new JsonArray(Secrets.redact(o.commandOver(spec.command()))))
          .put("overrides", o.toRedactedJson()));
    }
    return out;
  }

  static JsonObject of(AppSpec spec, RoutePolicy route, JsonArray instances, Optional<Release> active,
                       Optional<AppStatus> status, Map<String, HostState> hosts, Map<String, String> agentUrls) {
    instances = withAgentUrls(instances, agentUrls);
    String version = Optional.ofNullable(ReconcilePlanner.currentVersion(route)).orElse(RouteSplits.dominant(route));
    int passing = (int) instances.stream().map(o -> (JsonObject) o)
        .filter(i -> "passing".equals(i.getString("status")) && version != null && version.equals(i.getString("version")))
        .count();
    JsonObject view = new JsonObject().put("app", spec.name()).put("spec", spec.toJson())
        .put("route", route == null ? null : route.toJson()).put("instances", instances)
        .put("activeRelease", active.map(Release::toApiJson).orElse(null))
        .put("version", version).put("desired", spec.instances()).put("passing", passing);
    if (status.isPresent() && status.get().version() != null && status.get().version().equals(version)) {
      view.put("status", status.get().status().name()).put("reason", status.get().reason())
          .put("since", status.get().since()).put("lastAction", status.get().lastAction());
    } else {
      boolean ok = version == null || passing >= spec.instances();
      view.put("status", (ok ? AppHealth.OK : AppHealth.RECONCILING).name())
          .put("reason", version == null ? "no current version (nothing released, or a split route)"
              : passing + " of " + spec.instances() + " instance(s) of " + version
                  + " passing; the reconciler has not judged this version yet")
          .put("since", null).put("lastAction", status.map(AppStatus::lastAction).orElse(null));
    }
    return view.put("placement", placement(instances, hosts, agentUrls));
  }

  /** Copies of {@code instances}, each with the {@code agentUrl} of its agent. */
  private static JsonArray withAgentUrls(JsonArray instances, Map<String, String> agentUrls) {
    JsonArray out = new JsonArray();
    instances.stream().map(o -> ((JsonObject) o).copy()).forEach(i -> out.add(i.put("agentUrl",
        i.getString("agent") == null ? null : agentUrls.get(i.getString("agent")))));
    return out;
  }

  /**
   * {@code [{agent, address, agentUrl, host, instances: [{id, version, status, passing}]}]}, by agent id: every agent known
   * to this registry, those without an instance of the app too (where capacity could go).
   */
  static JsonArray placement(JsonArray instances, Map<String, HostState> hosts, Map<String, String> agentUrls) {
    Map<String, JsonObject> byAgent = new TreeMap<>();
    hosts.forEach((agent, state) -> byAgent.put(agent, new JsonObject().put("agent", agent).put("address", null)
        .put("agentUrl", agentUrls.get(agent)).put("host", state.name()).put("instances", new JsonArray())));
    instances.stream().map(o -> (JsonObject) o).forEach(i -> {
      String agent = i.getString("agent") == null ? "(unknown)" : i.getString("agent");
      JsonObject a = byAgent.computeIfAbsent(agent, k -> new JsonObject().put("agent", k)
          .put("address", i.getString("address")).put("agentUrl", agentUrls.get(k))
          .put("host", Optional.ofNullable(hosts.get(k)).map(HostState::name).orElse(null))
          .put("instances", new JsonArray()));
      if (a.getString("address") == null) {
        a.put("address", i.getString("address"));
      }
      a.getJsonArray("instances").add(new JsonObject().put("id", i.getString("id")).put("version", i.getString("version"))
          .put("status", i.getString("status")).put("passing", "passing".equals(i.getString("status"))));
    });
    return new JsonArray(new java.util.ArrayList<>(byAgent.values()));
  }
}
