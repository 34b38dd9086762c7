package dev.baton.registry.release;

import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.Sticky;
import dev.baton.common.model.WeightedVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Pure construction and comparison of route policies (revision 0: the store assigns revisions). */
public final class RouteSplits {

  private RouteSplits() {
  }

  public static RoutePolicy single(String app, String version) {
    return RoutePolicy.single(app, 0, version);
  }

  /**
   * Weights proportional to {@code counts} (ready instances per version), in basis points so the
   * split sums to exactly 100 with at most two decimals; the rounding remainder goes to the last version.
   */
  public static RoutePolicy proportional(String app, Map<String, Integer> counts) {
    Map<String, Integer> positive = new TreeMap<>();
    counts.forEach((v, c) -> {
      if (c > 0) {
        positive.put(v, c);
      }
    });
    int total = positive.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      throw new IllegalArgumentException("no ready instance to route to");
    }
    List<WeightedVersion> split = new ArrayList<>();
    int given = 0;
    int i = 0;
    for (Map.Entry<String, Integer> e : positive.entrySet()) {
      int bp = ++i == positive.size() ? 10_000 - given : (int) Math.round(10_000.0 * e.getValue() / total);
      given += bp;
      split.add(new WeightedVersion(e.getKey(), bp / 100.0));
    }
    return new RoutePolicy(app, 0, split, List.of(), null, null);
  }

  /** {@code weight}% to {@code canary}, the rest to {@code stable}, with rules and sticky key. */
  public static RoutePolicy weighted(String app, String stable, String canary, double weight, List<RouteRule> rules,
                                     Sticky sticky) {
    int bp = (int) Math.round(weight * 100);
    List<WeightedVersion> split = new ArrayList<>();
    if (bp < 10_000) {
      split.add(new WeightedVersion(stable, (10_000 - bp) / 100.0));
    }
    if (bp > 0) {
      split.add(new WeightedVersion(canary, bp / 100.0));
    }
    return new RoutePolicy(app, 0, split, rules, sticky, null);
  }

  /** True when both policies send every request the same way (revision ignored, zero weights ignored). */
  public static boolean sameTraffic(RoutePolicy a, RoutePolicy b) {
    if (a == null || b == null) {
      return a == b;
    }
    return splitOf(a).equals(splitOf(b)) && a.rules().equals(b.rules()) && Objects.equals(a.sticky(), b.sticky())
        && Objects.equals(a.mirror(), b.mirror());
  }

  /** The version with the largest weight, or null. */
  public static String dominant(RoutePolicy p) {
    return p == null ? null : p.split().stream().filter(w -> w.basisPoints() > 0)
        .max(java.util.Comparator.comparingInt(WeightedVersion::basisPoints)).map(WeightedVersion::version)
        .orElse(null);
  }

  private static Map<String, Integer> splitOf(RoutePolicy p) {
    Map<String, Integer> m = new TreeMap<>();
    p.split().forEach(w -> {
      if (w.basisPoints() > 0) {
        m.put(w.version(), w.basisPoints());
      }
    });
    return m;
  }
}
