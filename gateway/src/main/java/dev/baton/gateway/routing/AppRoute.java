package dev.baton.gateway.routing;

import dev.baton.common.model.RoutePolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One app in a route table: how requests reach it (hosts, path prefix), the policy in force, and its
 * versions with passing instances. The arrays for the sticky walk and the effective split are computed
 * once when the table is built; see {@link VersionPicker} for how they are used. Immutable.
 */
public final class AppRoute {

  private final String name;
  private final List<String> hosts;
  private final String pathPrefix;
  private final boolean explicit;
  private final RoutePolicy policy;
  private final Map<String, VersionRoute> versions;
  final String[] stickyVersions;
  final int[] stickyCumulative;
  final VersionRoute[] effectiveVersions;
  final int[] effectiveCumulative;
  final int effectiveTotal;

  AppRoute(String name, List<String> hosts, String pathPrefix, boolean explicit, RoutePolicy policy,
           Map<String, VersionRoute> versions, String[] stickyVersions, int[] stickyCumulative,
           VersionRoute[] effectiveVersions, int[] effectiveCumulative) {
    this.name = name;
    this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.pathPrefix = pathPrefix;
    this.explicit = explicit;
    this.policy = policy;
    this.versions = Map.copyOf(versions);
    this.stickyVersions = stickyVersions;
    this.stickyCumulative = stickyCumulative;
    this.effectiveVersions = effectiveVersions;
    this.effectiveCumulative = effectiveCumulative;
    this.effectiveTotal = effectiveCumulative.length == 0 ? 0 : effectiveCumulative[effectiveCumulative.length - 1];
  }

  public String name() {
    return name;
  }

  public List<String> hosts() {
    return hosts;
  }

  public String pathPrefix() {
    return pathPrefix;
  }

  /** True when an AppSpec in KV says how to reach the app; false for the default routing of spec-less apps. */
  public boolean explicit() {
    return explicit;
  }

  /** The policy in force, or null: then traffic splits evenly across the passing versions. */
  public RoutePolicy policy() {
    return policy;
  }

  public long revision() {
    return policy == null ? 0 : policy.revision();
  }

  public Map<String, VersionRoute> versions() {
    return versions;
  }

  public VersionRoute version(String version) {
    return versions.get(version);
  }

  /** The versions that can take split traffic now, with their share in basis points of the effective total. */
  public Map<String, Integer> effectiveSplit() {
    java.util.LinkedHashMap<String, Integer> out = new java.util.LinkedHashMap<>();
    int prev = 0;
    for (int i = 0; i < effectiveVersions.length; i++) {
      out.put(effectiveVersions[i].version(), effectiveCumulative[i] - prev);
      prev = effectiveCumulative[i];
    }
    return out;
  }

  /**
   * Host match: no hosts means any host; otherwise the request's host (port ignored, case-insensitive)
   * equals one of them, or ends with {@code .example.com} for a pattern {@code *.example.com}.
   */
  public boolean matchesHost(String hostHeader) {
    if (hosts.isEmpty()) {
      return true;
    }
    if (hostHeader == null) {
      return false;
    }
    int end = hostEnd(hostHeader);
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      if (h.startsWith("*.")) {
        int suffix = h.length() - 1;
        if (end > suffix && hostHeader.regionMatches(true, end - suffix, h, 1, suffix)) {
          return true;
        }
      } else if (h.length() == end && hostHeader.regionMatches(true, 0, h, 0, end)) {
        return true;
      }
    }
    return false;
  }

  /** Segment-aware prefix match: {@code /api} matches {@code /api} and {@code /api/x}, not {@code /apix}. */
  public boolean matchesPath(String path) {
    String p = pathPrefix;
    if (p.length() <= 1) {
      return true;
    }
    if (path == null || !path.startsWith(p)) {
      return false;
    }
    return p.charAt(p.length() - 1) == '/' || path.length() == p.length() || path.charAt(p.length()) == '/';
  }

  /** End of the host part of a Host header value: before the port, IPv6 brackets kept. */
  static int hostEnd(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.indexOf(']') > colon) {
      return host.length();
    }
    return colon;
  }
}
