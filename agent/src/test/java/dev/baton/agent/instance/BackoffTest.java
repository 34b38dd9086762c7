package dev.baton.agent.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(1_000, 30_000, 5);

  @Test
  void delaysDoubleFromTheBaseUpToTheCap() {
    assertThat(backoff.delayMs(1)).isEqualTo(1_000);
    assertThat(backoff.delayMs(2)).isEqualTo(2_000);
    assertThat(backoff.delayMs(3)).isEqualTo(4_000);
    assertThat(backoff.delayMs(5)).isEqualTo(16_000);
    assertThat(backoff.delayMs(6)).isEqualTo(30_000);
    assertThat(backoff.delayMs(500)).isEqualTo(30_000);
  }

  @Test
  void givesUpOnlyAfterTheMaximumNumberOfAttempts() {
    assertThat(backoff.exhausted(5)).isFalse();
    assertThat(backoff.exhausted(6)).isTrue();
  }

  @Test
  void zeroAttemptsMeansNoLimit() {
    assertThat(new Backoff(1, 2, 0).exhausted(1_000_000)).isFalse();
  }
}
