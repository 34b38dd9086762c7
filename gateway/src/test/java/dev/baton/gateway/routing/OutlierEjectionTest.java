package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Outlier ejection on 5xx answers (gateway/README.md, "Outlier ejection"): table tests on real upstreams. */
class OutlierEjectionTest {

  static final long NOW = 1_000_000_000L;

  static Upstream upstream(int port, Ejection e) {
    return new Upstream(Fixtures.instance("shop", "1.0.0", port), e, UpstreamObserver.NONE);
  }

  final Ejection ejection = Ejection.ofMillis(3, 1000, 30_000, 5);
  final Upstream bad = upstream(1, ejection);
  final Upstream good = upstream(2, ejection);
  final VersionRoute version = new VersionRoute("shop", "1.0.0", List.of(bad, good));

  OutlierEjectionTest() {
    good.connectSucceeded(); // its last answer was a 200
  }

  @Test
  void fiveServerErrorsInARowEjectWhileASiblingAnswers() {
    for (int i = 1; i < 5; i++) {
      assertThat(bad.answeredServerError(NOW, version)).as("answer %d", i).isFalse();
    }
    assertThat(bad.answeredServerError(NOW, version)).isTrue();
    assertThat(bad.ejected(NOW)).isTrue();
    assertThat(bad.ejected(NOW + TimeUnit.MILLISECONDS.toNanos(1000))).as("after BATON_EJECT_BASE_MS").isFalse();
    assertThat(InstancePicker.pick(version, null, NOW, new java.util.Random(1))).isSameAs(good);
  }

  @Test
  void anAnswerThatIsNotAServerErrorStartsTheStreakOver() {
    for (int i = 0; i < 4; i++) {
      bad.answeredServerError(NOW, version);
    }
    bad.connectSucceeded();
    for (int i = 0; i < 4; i++) {
      assertThat(bad.answeredServerError(NOW, version)).isFalse();
    }
    assertThat(bad.ejected(NOW)).isFalse();
  }

  @Test
  void repeatedEjectionsDoubleUpToTheMaximum() {
    long t = NOW;
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 5; i++) {
        bad.answeredServerError(t, version);
      }
      long period = TimeUnit.MILLISECONDS.toNanos(1000L << (round - 1));
      assertThat(bad.ejected(t + period - 1)).as("round %d", round).isTrue();
      assertThat(bad.ejected(t + period)).isFalse();
      t += period;
    }
  }

  @Test
  void aVersionFailingOnEveryInstanceStaysInRotationForCanaryAnalysisToSee() {
    for (int i = 0; i < 20; i++) {
      good.answeredServerError(NOW, version);
      assertThat(bad.answeredServerError(NOW, version)).isFalse();
    }
    assertThat(bad.ejected(NOW)).isFalse();
    assertThat(good.ejected(NOW)).isFalse();

    Upstream alone = upstream(3, ejection);
    VersionRoute canary = new VersionRoute("shop", "2.0.0", List.of(alone));
    for (int i = 0; i < 20; i++) {
      assertThat(alone.answeredServerError(NOW, canary)).isFalse();
    }
  }

  @Test
  void aSiblingThatHasNotAnsweredWellYetDoesNotCount() {
    Upstream fresh = upstream(4, ejection);
    VersionRoute v = new VersionRoute("shop", "1.0.0", List.of(bad, fresh));
    for (int i = 0; i < 10; i++) {
      assertThat(bad.answeredServerError(NOW, v)).isFalse();
    }
  }

  @Test
  void aDrainingOrEjectedSiblingDoesNotCount() {
    good.markDraining();
    for (int i = 0; i < 10; i++) {
      assertThat(bad.answeredServerError(NOW, version)).isFalse();
    }
  }

  @Test
  void zeroTurnsItOff() {
    Ejection off = Ejection.ofMillis(3, 1000, 30_000, 0);
    Upstream a = upstream(1, off);
    VersionRoute v = new VersionRoute("shop", "1.0.0", List.of(a, upstream(2, off)));
    for (int i = 0; i < 50; i++) {
      assertThat(a.answeredServerError(NOW, v)).isFalse();
    }
  }
}
