package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SampleAppConfigTest {

  @Test
  void emptyEnvironmentGivesLoopbackDefaults() {
    SampleAppConfig config = SampleAppConfig.fromEnv(Map.of());

    assertThat(config).isEqualTo(new SampleAppConfig(
        8080, "127.0.0.1", "sample-app", Optional.empty(), 0.0, 0, 0, false, 30_000, Map.of()));
  }

  @Test
  void everyKnobIsReadFromItsVariable() {
    SampleAppConfig config = SampleAppConfig.fromEnv(Map.of(
        "PORT", "20001", "BIND", "0.0.0.0", "APP_NAME", "shop", "BATON_INSTANCE_ID", "shop-1",
        "FAIL_RATE", "0.25", "LATENCY_MS", "15", "START_DELAY_MS", "200", "UNHEALTHY", "TRUE",
        "SHUTDOWN_GRACE_MS", "500"));

    assertThat(config).isEqualTo(new SampleAppConfig(
        20001, "0.0.0.0", "shop", Optional.of("shop-1"), 0.25, 15, 200, true, 500, Map.of()));
  }

  @Test
  void onlySampleVariablesAreShown() {
    SampleAppConfig config = SampleAppConfig.fromEnv(Map.of("SAMPLE_FLAG", "x", "SAMPLE_TIER", "one", "FLAG", "hidden",
        "PATH", "/usr/bin"));

    assertThat(config.shown()).containsExactly(Map.entry("SAMPLE_FLAG", "x"), Map.entry("SAMPLE_TIER", "one"));
  }

  @Test
  void blankValuesCountAsUnset() {
    SampleAppConfig config = SampleAppConfig.fromEnv(Map.of(
        "PORT", " ", "FAIL_RATE", "", "UNHEALTHY", "", "BATON_INSTANCE_ID", "  "));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.failRate()).isZero();
    assertThat(config.unhealthy()).isFalse();
    assertThat(config.instanceId()).isEmpty();
  }

  @Test
  void failRateBoundsAreInclusive() {
    assertThat(SampleAppConfig.fromEnv(Map.of("FAIL_RATE", "0")).failRate()).isZero();
    assertThat(SampleAppConfig.fromEnv(Map.of("FAIL_RATE", "1")).failRate()).isEqualTo(1.0);
  }

  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource({
      "PORT, http",
      "PORT, -1",
      "PORT, 65536",
      "PORT, 80.5",
      "FAIL_RATE, abc",
      "FAIL_RATE, 1.01",
      "FAIL_RATE, -0.1",
      "FAIL_RATE, NaN",
      "LATENCY_MS, -5",
      "LATENCY_MS, 10ms",
      "START_DELAY_MS, soon",
      "SHUTDOWN_GRACE_MS, 99999999999",
      "UNHEALTHY, yes",
      "UNHEALTHY, 1",
  })
  void malformedKnobIsRejectedWithAMessageNamingTheVariable(String name, String value) {
    assertThatThrownBy(() -> SampleAppConfig.fromEnv(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(name + " must be")
        .hasMessageContaining("'" + value + "'");
  }
}
