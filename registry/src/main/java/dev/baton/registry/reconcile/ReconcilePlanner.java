package dev.baton.registry.reconcile;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import dev.baton.registry.release.Action;
import dev.baton.registry.release.Observed;
import dev.baton.registry.release.ObservedInstance;
import dev.baton.registry.release.Placement;
import dev.baton.registry.release.ReleaseState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the reconciler does for one app outside releases (docs/ARCHITECTURE.md, Registry, "Self-healing"). Pure:
 * the spec, the current version, the observed world and the retry backoff in; a status with its reason and the
 * actions out.
 *
 * <ol>
 *   <li>Fewer active instances of the current version than {@code instances} (instances on a suspect agent count,
 *       those of a lost agent do not): start the missing ones on live agents through {@link Placement}, never
 *       putting more than {@code ceil(instances / live agents)} of the version on one agent. No live agent, no
 *       agent below its share, or a start that failed less than the backoff ago: DEGRADED.</li>
 *   <li>Enough active but fewer ready: RECONCILING, waiting (for starts, or for a suspect agent).</li>
 *   <li>Enough ready: stop the surplus on live agents, the most loaded agent's first, never going below
 *       {@code instances} ready, and every instance of another version (the route sends it nothing). The agent's
 *       stop drains first: it deregisters the instance and waits for the gateways' drain acks.</li>
 * </ol>
 */
public final class ReconcilePlanner {

  /** The decision: the app's status, why, and the actions to apply now. */
  public record Plan(AppHealth status, String reason, List<Action> actions) {
    public Plan {
      actions = List.copyOf(actions);
    }
  }

  /**
   * The previous version a SUCCEEDED blue-green release keeps warm until {@code untilMs} (docs/ARCHITECTURE.md,
   * Registry, "Blue-green is done when traffic is").
   */
  public record Warm(String version, long untilMs) {

    /** The warm version the app's latest release keeps, or null (none, another strategy, or the time passed). */
    public static Warm of(List<Release> history, long nowMs) {
      if (history.isEmpty()) {
        return null;
      }
      Release last = history.get(history.size() - 1);
      Long until = ReleaseState.of(last).blueGreen().blueWarmUntil();
      return last.phase() == ReleasePhase.SUCCEEDED && until != null && until > nowMs
          && last.fromVersion() != null ? new Warm(last.fromVersion(), until) : null;
    }
  }

  private ReconcilePlanner() {
  }

  public static Plan plan(AppSpec spec, String version, Observed o, long retryAtMs, String lastFailure) {
    return plan(spec, version, o, retryAtMs, lastFailure, null);
  }

  /**
   * @param retryAtMs   starts wait until then after a failed one (0: no failure)
   * @param lastFailure why the last start failed, or null
   */
  public static Plan plan(AppSpec spec, String version, Observed o, long retryAtMs, String lastFailure, Warm warm) {
    int n = spec.instances();
    Set<String> live = Set.copyOf(o.liveAgents());
    List<ObservedInstance> active = o.active(version);
    int ready = o.ready(version).size();
    String count = ready + " of " + n + " instance(s) of " + version + " passing";
    if (active.size() < n) {
      int missing = n - active.size();
      if (live.isEmpty()) {
        return new Plan(AppHealth.DEGRADED, count + "; no live agent to start " + missing + " on", List.of());
      }
      if (o.nowMs() < retryAtMs) {
        return new Plan(AppHealth.DEGRADED, count + "; starting failed (" + lastFailure + "), retrying at "
            + java.time.Instant.ofEpochMilli(retryAtMs), List.of());
      }
      List<Action> starts = starts(o, version, missing, share(n, live.size()));
      if (starts.isEmpty()) {
        return new Plan(AppHealth.DEGRADED, count + "; every live agent already holds its share ("
            + share(n, live.size()) + ") of " + version, List.of());
      }
      boolean degraded = starts.size() < missing || lastFailure != null;
      return new Plan(degraded ? AppHealth.DEGRADED : AppHealth.RECONCILING, count + "; starting "
          + starts.size() + (starts.size() < missing ? " of the " + missing + " missing (no other agent below its share)"
          : "") + " on " + agentsOf(starts) + (lastFailure == null ? "" : " (retrying after: " + lastFailure + ")"),
          starts);
    }
    if (ready < n) {
      return new Plan(AppHealth.RECONCILING, count + "; waiting for " + waitingFor(o, version, live), List.of());
    }
    List<Action> stops = new ArrayList<>(surplus(o, version, n, live));
    boolean keepWarm = warm != null && o.nowMs() < warm.untilMs() && !warm.version().equals(version);
    o.activeExcept(version).stream().filter(i -> live.contains(i.agentId()))
        .filter(i -> !keepWarm || !i.version().equals(warm.version()))
        .forEach(i -> stops.add(new Action.StopInstance(i.agentId(), i.id(), i.version())));
    if (!stops.isEmpty()) {
      return new Plan(AppHealth.RECONCILING, count + "; stopping " + stops.size() + " surplus instance(s) on "
          + agentsOf(stops), stops);
    }
    List<ObservedInstance> unreachable = o.unreachable();
    if (unreachable.size() > 0 && active.size() > n) {
      return new Plan(AppHealth.RECONCILING, count + "; surplus on " + agentsOf(unreachable)
          + ", which do(es) not answer: stopped once it answers", List.of());
    }
    long warmCount = keepWarm ? o.active(warm.version()).size() : 0;
    return new Plan(AppHealth.OK, count + (warmCount == 0 ? "" : "; " + warmCount + " instance(s) of " + warm.version()
        + " kept warm until " + Instant.ofEpochMilli(warm.untilMs())), List.of());
  }

  /**
   * The app's current version: the one its route sends all traffic to; null when there is no route or it splits
   * traffic (a manual override is left alone).
   */
  public static String currentVersion(RoutePolicy route) {
    if (route == null) {
      return null;
    }
    List<String> versions = route.split().stream().filter(w -> w.basisPoints() > 0).map(WeightedVersion::version)
        .distinct().toList();
    return versions.size() == 1 && route.rules().isEmpty() ? versions.get(0) : null;
  }

  /** The most instances of one version an agent may hold: ceil(instances / live agents). */
  static int share(int instances, int liveAgents) {
    return liveAgents == 0 ? 0 : (instances + liveAgents - 1) / liveAgents;
  }

  private static List<Action> starts(Observed o, String version, int missing, int share) {
    Map<String, Integer> held = new HashMap<>();
    o.active(version).forEach(i -> held.merge(i.agentId(), 1, Integer::sum));
    List<Action> out = new ArrayList<>();
    for (String agent : Placement.agentsFor(o, version, missing)) {
      if (held.merge(agent, 1, Integer::sum) <= share) {
        out.add(new Action.StartInstance(agent, version, null));
      }
    }
    return out;
  }

  /**
   * Instances of {@code version} on live agents beyond {@code n}, taken from the agent holding the most first
   * (not-ready ones first there), so the spread evens out; a ready one only while {@code n} others on live agents
   * stay ready. Instances on a suspect agent never make a live one surplus: they may be gone.
   */
  private static List<Action> surplus(Observed o, String version, int n, Set<String> live) {
    List<ObservedInstance> onLive = o.active(version).stream().filter(i -> live.contains(i.agentId())).toList();
    int extra = onLive.size() - n;
    int ready = (int) onLive.stream().filter(ObservedInstance::ready).count();
    Map<String, Integer> load = new HashMap<>();
    onLive.forEach(i -> load.merge(i.agentId(), 1, Integer::sum));
    List<Action> out = new ArrayList<>();
    List<ObservedInstance> left = new ArrayList<>(onLive);
    while (extra > 0 && !left.isEmpty()) {
      ObservedInstance victim = left.stream().min(Comparator.<ObservedInstance>comparingInt(i -> -load.get(i.agentId()))
          .thenComparing(ObservedInstance::ready).thenComparing(ObservedInstance::id)).orElseThrow();
      left.remove(victim);
      if (victim.ready() && ready - 1 < n) {
        continue;
      }
      ready -= victim.ready() ? 1 : 0;
      load.merge(victim.agentId(), -1, Integer::sum);
      out.add(new Action.StopInstance(victim.agentId(), victim.id(), victim.version()));
      extra--;
    }
    return out;
  }

  private static String waitingFor(Observed o, String version, Set<String> live) {
    Set<String> suspect = new TreeSet<>();
    o.active(version).stream().filter(i -> !live.contains(i.agentId()) && !i.ready())
        .forEach(i -> suspect.add(i.agentId()));
    return suspect.isEmpty() ? "instances to pass their checks"
        : "agent(s) " + String.join(", ", suspect) + ", which do not answer: their instances count until the host is"
            + " lost (BATON_HOST_LOST_MS)";
  }

  private static String agentsOf(List<?> items) {
    Set<String> agents = new TreeSet<>();
    for (Object x : items) {
      if (x instanceof Action.StartInstance s) {
        agents.add(s.agentId());
      } else if (x instanceof Action.StopInstance s) {
        agents.add(s.agentId());
      } else if (x instanceof ObservedInstance i) {
        agents.add(i.agentId());
      }
    }
    return String.join(", ", agents);
  }
}
