package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SampleAppVerticleTest {

  @Test
  void slowMillisIsParsedAndCappedAtTwoMinutes() {
    assertThat(SampleAppVerticle.parseSlowMillis("0")).isZero();
    assertThat(SampleAppVerticle.parseSlowMillis(" 3000 ")).isEqualTo(3000);
    assertThat(SampleAppVerticle.parseSlowMillis("120000")).isEqualTo(120_000);
    assertThat(SampleAppVerticle.parseSlowMillis("9999999")).isEqualTo(SampleAppVerticle.MAX_SLOW_MS);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "abc", "1.5", "-1", "99999999999999999999"})
  void badSlowMillisIsRejectedWithAHint(String raw) {
    assertThatThrownBy(() -> SampleAppVerticle.parseSlowMillis(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ms");
  }

  @Test
  void versionFallsBackWhenNotRunFromAJar() {
    assertThat(SampleApp.version()).isEqualTo(SampleApp.DEV_VERSION);
  }
}
