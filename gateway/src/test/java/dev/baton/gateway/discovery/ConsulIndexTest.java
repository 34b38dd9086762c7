package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsulIndexTest {

  @ParameterizedTest(name = "sent {0}, returned {1} -> next {2}")
  @CsvSource({
      "0, 42, 42",     // first read
      "42, 42, 42",    // wait timed out, nothing changed
      "42, 57, 57",    // change
      "57, 12, 1",     // went backwards (Consul restarted): reset, never 0
      "0, 0, 1",       // Consul returned no index: never send 0 again
      "12, -3, 1",
      "1, 12, 12"})
  void nextIndex(long sent, long returned, long next) {
    assertThat(ConsulIndex.next(sent, returned)).isEqualTo(next);
  }

  @ParameterizedTest(name = "after an error at {0} -> {1}")
  @CsvSource({"0, 0", "1, 1", "57, 1"})
  void afterErrorTheNextReadAnswersAtOnceButNeverWithZeroOnceRead(long sent, long next) {
    assertThat(ConsulIndex.afterError(sent)).isEqualTo(next);
  }

  @ParameterizedTest(name = "sent {0}, returned {1} -> changed {2}")
  @CsvSource({"0, 5, true", "5, 5, false", "5, 6, true", "57, 12, true"})
  void changed(long sent, long returned, boolean changed) {
    assertThat(ConsulIndex.changed(sent, returned)).isEqualTo(changed);
  }

  @Test
  void backoffIsJitteredAndCappedAtOneSecond() {
    SplittableRandom random = new SplittableRandom(5);
    Backoff b = Backoff.DEFAULT;
    for (int failures = 1; failures < 40; failures++) {
      long cap = Math.min(1000, 50L << Math.min(failures - 1, 20));
      for (int i = 0; i < 50; i++) {
        assertThat(b.delayMs(failures, random)).isBetween(cap / 2, cap);
      }
    }
    assertThat(b.delayMs(100, random)).isLessThanOrEqualTo(1000);
  }
}
