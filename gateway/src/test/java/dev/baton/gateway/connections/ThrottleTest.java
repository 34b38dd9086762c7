package dev.baton.gateway.connections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleTest {

  @Test
  void theFirstEventIsReportedAtOnceThenOneReportPerIntervalWithTheCount() {
    Throttle t = new Throttle(10);
    assertThat(t.record(100)).isEqualTo(1);
    long held = 0;
    for (int i = 0; i < 1_000_000; i++) {
      held += t.record(105);
    }
    assertThat(held).as("a million events within the interval: no report").isZero();
    assertThat(t.record(110)).isEqualTo(1_000_001);
    assertThat(t.flush(200)).isZero();
    assertThat(t.record(201)).as("quiet for an interval: reported at once").isEqualTo(1);
    assertThat(t.record(202) + t.record(203)).isZero();
    assertThat(t.flush(211)).as("the timer reports what the interval held").isEqualTo(2);
  }
}
