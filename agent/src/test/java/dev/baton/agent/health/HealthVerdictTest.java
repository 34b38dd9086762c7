package dev.baton.agent.health;

import static dev.baton.agent.health.HealthVerdict.Outcome.NOT_YET;
import static dev.baton.agent.health.HealthVerdict.Outcome.UP;
import static dev.baton.agent.health.HealthVerdict.Outcome.WRONG_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthVerdictTest {

  @Test
  void okWithTheRequestedVersionIsUp() {
    assertThat(HealthVerdict.judge(200, "{\"status\":\"UP\",\"version\":\"2.0.0\"}", "2.0.0", true).outcome())
        .isEqualTo(UP);
  }

  @Test
  void anyOtherStatusIsNotYet() {
    assertThat(HealthVerdict.judge(503, "{\"status\":\"DOWN\",\"version\":\"2.0.0\"}", "2.0.0", true).outcome())
        .isEqualTo(NOT_YET);
  }

  @Test
  void anotherVersionIsAHardFailureNamingBoth() {
    HealthVerdict v = HealthVerdict.judge(200, "{\"version\":\"1.0.0\"}", "2.0.0", true);
    assertThat(v.outcome()).isEqualTo(WRONG_VERSION);
    assertThat(v.detail()).isEqualTo("reported version 1.0.0, expected 2.0.0");
  }

  @Test
  void noVersionFailsWhenRequiredAndPassesWhenNot() {
    assertThat(HealthVerdict.judge(200, "OK", "2.0.0", true).outcome()).isEqualTo(WRONG_VERSION);
    assertThat(HealthVerdict.judge(200, "OK", "2.0.0", false).outcome()).isEqualTo(UP);
    assertThat(HealthVerdict.judge(200, "[1]", "2.0.0", false).outcome()).isEqualTo(UP);
  }
}
