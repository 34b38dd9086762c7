package dev.baton.gateway.routing;

import dev.baton.common.model.Match;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.RouteRule;
import dev.baton.common.model.Sticky;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses the version for one request (DESIGN.md §9), in this order:
 * <ol>
 *   <li><b>Rules</b>: the first rule whose header, cookie or query value equals its {@code equals} sends
 *       the request to its version, even one with 0% in the split. A rule's version without a passing
 *       instance answers 503 rather than silently serving another version.</li>
 *   <li><b>Sticky bucket</b>: when the policy has a sticky key and the request carries it, bucket =
 *       {@link StickyBucket#of}(key) in [0, 10000). The split is walked <em>newest first</em>: the last
 *       entry of {@code split} is the newest version (the registry writes the stable version first and the
 *       canary last), so its buckets are [0, w<sub>last</sub>×100), the entry before it takes the next
 *       w×100 buckets, and so on. With {@code [1.0.0: 90, 2.0.0: 10]} a user goes to 2.0.0 iff bucket &lt;
 *       1000. As the canary weight grows 10 → 50 → 100 its range only widens, so a user never flips back.
 *       If the bucket's version has no passing instance, the bucket is scaled onto the effective split
 *       (below), which keeps the choice deterministic per user.</li>
 *   <li><b>Weighted random</b>: r uniform in [0, total) over the <em>effective split</em>: the entries with
 *       weight &gt; 0 that have a passing instance, with their basis points (a missing version's share goes
 *       to the others in proportion). Without a policy every passing version has an equal share.</li>
 * </ol>
 * Returns null when no version can serve (then the gateway answers 503 {@code no_instance}).
 */
public final class VersionPicker {

  private VersionPicker() {
  }

  public static VersionRoute pick(AppRoute app, RequestView request, RandomGenerator random) {
    RoutePolicy policy = app.policy();
    if (policy != null) {
      List<RouteRule> rules = policy.rules();
      for (int i = 0; i < rules.size(); i++) {
        RouteRule rule = rules.get(i);
        if (matches(rule.match(), request)) {
          return app.version(rule.version());
        }
      }
      Sticky sticky = policy.sticky();
      if (sticky != null) {
        String key = sticky.source() == Match.Source.COOKIE ? request.cookie(sticky.name())
            : request.header(sticky.name());
        if (key != null && !key.isEmpty()) {
          return sticky(app, StickyBucket.of(key));
        }
      }
    }
    if (app.effectiveTotal == 0) {
      return null;
    }
    return walk(app.effectiveVersions, app.effectiveCumulative, random.nextInt(app.effectiveTotal));
  }

  /** The version of sticky bucket {@code bucket} (0..9999); see the class comment. */
  public static VersionRoute sticky(AppRoute app, int bucket) {
    String[] versions = app.stickyVersions;
    int[] cumulative = app.stickyCumulative;
    for (int i = 0; i < versions.length; i++) {
      if (bucket < cumulative[i]) {
        VersionRoute vr = app.version(versions[i]);
        if (vr != null) {
          return vr;
        }
        break;
      }
    }
    if (app.effectiveTotal == 0) {
      return null;
    }
    int scaled = (int) ((long) bucket * app.effectiveTotal / StickyBucket.BUCKETS);
    return walk(app.effectiveVersions, app.effectiveCumulative, scaled);
  }

  static boolean matches(Match match, RequestView request) {
    String value = switch (match.source()) {
      case HEADER -> request.header(match.name());
      case COOKIE -> request.cookie(match.name());
      case QUERY -> request.query(match.name());
    };
    return match.equals().equals(value);
  }

  private static VersionRoute walk(VersionRoute[] versions, int[] cumulative, int point) {
    for (int i = 0; i < versions.length; i++) {
      if (point < cumulative[i]) {
        return versions[i];
      }
    }
    return versions[versions.length - 1];
  }
}
