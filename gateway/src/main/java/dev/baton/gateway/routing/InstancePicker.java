package dev.baton.gateway.routing;

import java.util.random.RandomGenerator;

/**
 * Power of two choices: among the usable instances of a version, draw two at random and take the one with
 * fewer requests in flight. Usable means not draining, not ejected, and not {@code exclude} (the instance
 * a retry moves away from). A retry prefers an instance on another host than {@code exclude}'s: a connection
 * that failed because its host died fails again on the same host's other instances until Consul marks the
 * node failed (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"). When every instance is ejected the
 * ejection is ignored (better a suspect instance than a certain 503); a draining instance is never picked.
 */
public final class InstancePicker {

  private InstancePicker() {
  }

  public static Upstream pick(VersionRoute version, Upstream exclude, long nowNanos, RandomGenerator random) {
    Upstream[] all = version.upstreamArray();
    String avoidHost = exclude == null ? null : exclude.info().host();
    for (int level = avoidHost == null ? 1 : 0; level < 4; level++) {
      Rule rule = new Rule(exclude, level % 2 == 0 ? avoidHost : null, level < 2, nowNanos);
      int usable = count(all, rule);
      if (usable == 0) {
        continue;
      }
      if (usable == 1) {
        return nth(all, rule, 0);
      }
      int i = random.nextInt(usable);
      int j = (i + 1 + random.nextInt(usable - 1)) % usable;
      Upstream a = nth(all, rule, i);
      Upstream b = nth(all, rule, j);
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return b.inFlight() < a.inFlight() ? b : a;
    }
    return null;
  }

  /** Which instances may be picked: levels go from other host and not ejected to any host, ejected or not. */
  private record Rule(Upstream exclude, String avoidHost, boolean honourEjection, long now) {
    boolean usable(Upstream u) {
      return u != exclude && !u.draining() && !(honourEjection && u.ejected(now))
          && (avoidHost == null || !avoidHost.equals(u.info().host()));
    }
  }

  private static int count(Upstream[] all, Rule rule) {
    int n = 0;
    for (Upstream u : all) {
      if (rule.usable(u)) {
        n++;
      }
    }
    return n;
  }

  private static Upstream nth(Upstream[] all, Rule rule, int n) {
    for (Upstream u : all) {
      if (rule.usable(u) && n-- == 0) {
        return u;
      }
    }
    return null;  // another thread marked one draining or ejected since we counted
  }
}
