package dev.baton.registry.api;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.WeightedVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why the artifact of a version may not be deleted now (docs/ARCHITECTURE.md, Registry, "Artifacts"):
 * an instance of it is registered in Consul (any health), the route policy names it (split, rule or
 * mirror), a release in progress goes from or to it, or it is the version the app's last successful
 * release deployed or replaced — the previous good version that {@code POST /v1/apps/{app}/rollback}
 * goes back to. A pure function of what the registry reads; an empty list means it may go.
 */
final class ArtifactUse {

  private ArtifactUse() {
  }

  /**
   * @param instanceVersions the version of every instance of the app Consul knows, one entry per instance
   * @param releases the app's releases, oldest first
   */
  static List<String> reasons(String app, String version, List<String> instanceVersions, Optional<RoutePolicy> route,
                              List<Release> releases) {
    List<String> out = new ArrayList<>();
    long running = instanceVersions.stream().filter(version::equals).count();
    if (running > 0) {
      out.add(running + (running == 1 ? " instance runs it" : " instances run it"));
    }
    route.filter(r -> names(r, version)).ifPresent(r -> out.add("the route policy of " + app + " (revision "
        + r.revision() + ") names it"));
    releases.stream().filter(r -> !r.phase().isTerminal())
        .filter(r -> version.equals(r.fromVersion()) || version.equals(r.toVersion()))
        .forEach(r -> out.add("release " + r.id() + " (" + r.phase() + ") goes from " + r.fromVersion() + " to "
            + r.toVersion()));
    releases.stream().filter(r -> r.phase() == ReleasePhase.SUCCEEDED).reduce((a, b) -> b)
        .filter(last -> version.equals(last.toVersion()))
        .ifPresent(last -> out.add("it is the version the last successful release " + last.id() + " deployed"));
    // the same choice as ReleaseService.rollback: the last SUCCEEDED release that replaced a version
    releases.stream().filter(r -> r.phase() == ReleasePhase.SUCCEEDED && r.fromVersion() != null)
        .reduce((a, b) -> b).filter(last -> version.equals(last.fromVersion()))
        .ifPresent(last -> out.add("it is the previous good version, which POST /v1/apps/" + app
            + "/rollback goes back to (release " + last.id() + " replaced it)"));
    return out;
  }

  private static boolean names(RoutePolicy route, String version) {
    return route.split().stream().map(WeightedVersion::version).anyMatch(version::equals)
        || route.rules().stream().map(RouteRule::version).anyMatch(version::equals)
        || route.mirror() != null && version.equals(route.mirror().version());
  }
}
