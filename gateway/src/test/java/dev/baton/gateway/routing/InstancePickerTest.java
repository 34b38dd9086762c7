package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstancePickerTest {

  private final Upstream a = Fixtures.upstream(Fixtures.instance("shop", "1.0.0", 1));
  private final Upstream b = Fixtures.upstream(Fixtures.instance("shop", "1.0.0", 2));
  private final Upstream c = Fixtures.upstream(Fixtures.instance("shop", "1.0.0", 3));
  private final VersionRoute version = new VersionRoute("shop", "1.0.0", List.of(a, b, c));
  private final SplittableRandom random = new SplittableRandom(11);

  @Test
  void powerOfTwoChoicesAvoidsTheBusiestInstance() {
    for (int i = 0; i < 10; i++) {
      c.acquire();
    }
    Map<Upstream, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      counts.merge(InstancePicker.pick(version, null, 0, random), 1, Integer::sum);
    }
    assertThat(counts.getOrDefault(c, 0)).isZero();
    assertThat(counts.get(a)).isBetween(1200, 1800);
  }

  @Test
  void spreadsEvenlyWhenIdle() {
    Map<Upstream, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      counts.merge(InstancePicker.pick(version, null, 0, random), 1, Integer::sum);
    }
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(8_000, 12_000));
  }

  @Test
  void neverPicksDrainingOrExcludedAndSkipsEjected() {
    b.markDraining();
    for (int i = 0; i < 3; i++) {
      c.connectFailed(100);
    }
    assertThat(c.ejected(100)).isTrue();
    for (int i = 0; i < 200; i++) {
      assertThat(InstancePicker.pick(version, null, 100, random)).isSameAs(a);
    }
    assertThat(InstancePicker.pick(version, a, 100, random)).as("all others ejected: panic mode").isSameAs(c);
  }

  @Test
  void aRetryMovesToAnotherHostWhileOneIsLeft() {
    // two instances on the host whose connection just failed (it may have died), one elsewhere
    Upstream deadA = Fixtures.upstream(new InstanceInfo("shop-1-w1-1", "shop", "1.0.0", "198.18.0.11", 1));
    Upstream deadB = Fixtures.upstream(new InstanceInfo("shop-1-w1-2", "shop", "1.0.0", "198.18.0.11", 2));
    Upstream other = Fixtures.upstream(new InstanceInfo("shop-1-w2-1", "shop", "1.0.0", "198.18.0.12", 1));
    VersionRoute spread = new VersionRoute("shop", "1.0.0", List.of(deadA, deadB, other));
    for (int i = 0; i < 200; i++) {
      assertThat(InstancePicker.pick(spread, deadA, 0, random)).isSameAs(other);
    }
    other.markDraining();
    assertThat(InstancePicker.pick(spread, deadA, 0, random)).as("no other host left: the same host's other one")
        .isSameAs(deadB);
  }

  @Test
  void noUsableInstanceMeansNull() {
    a.markDraining();
    b.markDraining();
    c.markDraining();
    assertThat(InstancePicker.pick(version, null, 0, random)).isNull();
    VersionRoute single = new VersionRoute("shop", "1.0.0", List.of(Fixtures.upstream(Fixtures.instance("shop", "1.0.0", 9))));
    assertThat(InstancePicker.pick(single, single.upstreams().get(0), 0, random)).as("retry needs another instance").isNull();
  }

  @Test
  void ejectionNeedsConsecutiveFailuresAndGrowsUntilASuccess() {
    Ejection e = Fixtures.EJECTION;
    a.connectFailed(0);
    a.connectFailed(0);
    a.connectSucceeded();
    a.connectFailed(0);
    a.connectFailed(0);
    assertThat(a.ejected(0)).isFalse();
    assertThat(a.connectFailed(0)).isTrue();
    assertThat(a.ejectedUntilNanos()).isEqualTo(e.periodNanos(1));
    long t = a.ejectedUntilNanos() + 1;
    assertThat(a.ejected(t)).isFalse();
    a.connectFailed(t);
    a.connectFailed(t);
    a.connectFailed(t);
    assertThat(a.ejectedUntilNanos() - t).isEqualTo(2 * e.periodNanos(1));
    a.connectSucceeded();
    long t2 = a.ejectedUntilNanos() + 1;
    a.connectFailed(t2);
    a.connectFailed(t2);
    a.connectFailed(t2);
    assertThat(a.ejectedUntilNanos() - t2).isEqualTo(e.periodNanos(1));
  }

  /** An instance dying under SIGKILL resets pooled connections before its port refuses: it is ejected too. */
  @Test
  void resetsBeforeAResponseEjectLikeRefusedConnections() {
    a.failedBeforeResponse(0);
    a.connectFailed(0);
    assertThat(a.ejected(0)).isFalse();
    assertThat(a.failedBeforeResponse(0)).isTrue();
    assertThat(a.ejected(0)).isTrue();
  }

  @Test
  void ejectionPeriodIsCapped() {
    Ejection e = Ejection.ofMillis(1, 1000, 5000);
    assertThat(e.periodNanos(1)).isEqualTo(1_000_000_000L);
    assertThat(e.periodNanos(3)).isEqualTo(4_000_000_000L);
    assertThat(e.periodNanos(4)).isEqualTo(5_000_000_000L);
    assertThat(e.periodNanos(64)).isEqualTo(5_000_000_000L);
  }
}
