package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

  @Test
  void valueReturnsTheFirstNonNullResult() {
    AtomicInteger calls = new AtomicInteger();

    String value = Poll.value(Duration.ofSeconds(5), () -> calls.incrementAndGet() < 3 ? null : "ready");

    assertThat(value).isEqualTo("ready");
    assertThat(calls).hasValue(3);
  }

  @Test
  void timeoutNamesWhatWasAwaitedAndTheLastException() {
    assertThatThrownBy(() -> Poll.until(Duration.ofMillis(200), () -> {
      throw new IOException("connection refused");
    }, "the gateway to listen"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the gateway to listen")
        .hasMessageContaining("connection refused")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void anErrorFromTheCheckEndsTheWaitAtOnce() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> Poll.until(Duration.ofSeconds(30), () -> {
      calls.incrementAndGet();
      throw new AssertionError("process died");
    }, "never")).hasMessage("process died");
    assertThat(calls).hasValue(1);
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = FreePorts.find(20);

    assertThat(ports).hasSize(20).doesNotHaveDuplicates();
    assertThat(FreePorts.find()).isNotIn(ports);
  }

  /** A port the kernel may hand to anyone binding port 0 could be gone before the test binds it. */
  @Test
  void freePortsStayBelowTheKernelsEphemeralRangeAndTheInstanceRanges() {
    assertThat(java.util.Arrays.stream(FreePorts.find(50)).boxed().toList()).allMatch(p -> p >= 10_000 && p < Math.min(20_000, FreePorts.ephemeralLow()));
    assertThat(FreePorts.ephemeralLow()).isGreaterThan(1024);
  }

  @Test
  void repoRootHoldsTheInstallScript() {
    assertThat(Repo.path(Repo.MARKER)).isRegularFile();
  }
}
