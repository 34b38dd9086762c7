package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.discovery.OutageHold.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutageHoldTest {

  @ParameterizedTest(name = "held={0} loses={1} afterOutage={2} -> {3}")
  @CsvSource({
      // a read that brings something always applies
      "true,  false, true,  APPLY",
      "false, false, true,  APPLY",
      // an empty read in normal operation applies: all instances failing is news, not noise
      "true,  true,  false, APPLY",
      // nothing to protect
      "false, true,  true,  APPLY",
      // the first read after an outage may not empty what the gateway routes to
      "true,  true,  true,  HOLD",
  })
  void firstRead(boolean held, boolean loses, boolean afterOutage, Verdict expected) {
    assertThat(new OutageHold(15_000).decide(held, loses, afterOutage, 1_000)).isEqualTo(expected);
  }

  @Test
  void aHoldEndsWithTheFirstReadThatBringsSomething() {
    OutageHold hold = new OutageHold(15_000);
    assertThat(hold.decide(true, true, true, 1_000)).isEqualTo(Verdict.HOLD);
    assertThat(hold.deadlineMs()).isEqualTo(16_000);
    assertThat(hold.decide(true, true, false, 5_000)).as("still empty, before the deadline").isEqualTo(Verdict.HOLD);
    assertThat(hold.decide(true, false, false, 6_000)).isEqualTo(Verdict.APPLY);
    assertThat(hold.holding()).isFalse();
    assertThat(hold.deadlineMs()).isEqualTo(-1);
    assertThat(hold.decide(true, true, false, 7_000)).as("a later empty read in normal operation")
        .isEqualTo(Verdict.APPLY);
  }

  @Test
  void aHoldEndsAtTheDeadlineWhenConsulStillSaysNothing() {
    OutageHold hold = new OutageHold(15_000);
    assertThat(hold.decide(true, true, true, 1_000)).isEqualTo(Verdict.HOLD);
    assertThat(hold.decide(true, true, false, 15_999)).isEqualTo(Verdict.HOLD);
    assertThat(hold.decide(true, true, false, 16_000)).isEqualTo(Verdict.APPLY);
    assertThat(hold.holding()).isFalse();
  }

  @Test
  void aSecondOutageDuringAHoldDoesNotExtendIt() {
    OutageHold hold = new OutageHold(15_000);
    hold.decide(true, true, true, 1_000);
    assertThat(hold.decide(true, true, true, 10_000)).isEqualTo(Verdict.HOLD);
    assertThat(hold.deadlineMs()).isEqualTo(16_000);
  }

  @Test
  void zeroSettleTurnsHoldingOff() {
    assertThat(new OutageHold(0).decide(true, true, true, 1_000)).isEqualTo(Verdict.APPLY);
  }
}
