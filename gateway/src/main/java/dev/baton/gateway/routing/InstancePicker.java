package dev.baton.gateway.routing;

import java.util.random.RandomGenerator;

/**
 * Power of two choices: among the usable instances of a version, draw two at random and take the one with
 * fewer requests in flight. Usable means not draining, not ejected, and not {@code exclude} (the instance
 * a retry moves away from). When every instance is ejected the ejection is ignored (better a suspect
 * instance than a certain 503); a draining instance is never picked.
 */
public final class InstancePicker {

  private InstancePicker() {
  }

  public static Upstream pick(VersionRoute version, Upstream exclude, long nowNanos, RandomGenerator random) {
    Upstream[] all = version.upstreamArray();
    int usable = count(all, exclude, nowNanos, true);
    boolean honourEjection = true;
    if (usable == 0) {
      honourEjection = false;
      usable = count(all, exclude, nowNanos, false);
      if (usable == 0) {
        return null;
      }
    }
    if (usable == 1) {
      return nth(all, exclude, nowNanos, honourEjection, 0);
    }
    int i = random.nextInt(usable);
    int j = (i + 1 + random.nextInt(usable - 1)) % usable;
    Upstream a = nth(all, exclude, nowNanos, honourEjection, i);
    Upstream b = nth(all, exclude, nowNanos, honourEjection, j);
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return b.inFlight() < a.inFlight() ? b : a;
  }

  private static boolean usable(Upstream u, Upstream exclude, long now, boolean honourEjection) {
    return u != exclude && !u.draining() && !(honourEjection && u.ejected(now));
  }

  private static int count(Upstream[] all, Upstream exclude, long now, boolean honourEjection) {
    int n = 0;
    for (Upstream u : all) {
      if (usable(u, exclude, now, honourEjection)) {
        n++;
      }
    }
    return n;
  }

  private static Upstream nth(Upstream[] all, Upstream exclude, long now, boolean honourEjection, int n) {
    for (Upstream u : all) {
      if (usable(u, exclude, now, honourEjection) && n-- == 0) {
        return u;
      }
    }
    return null;  // another thread marked one draining or ejected since we counted
  }
}
