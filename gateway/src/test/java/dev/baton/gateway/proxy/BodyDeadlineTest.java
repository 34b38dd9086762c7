package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.GatewaySettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyDeadlineTest {

  /** 1 s between reads, 500 bytes/s after a 2 s grace. */
  static final GatewaySettings.RequestBodies LIMITS = new GatewaySettings.RequestBodies(65536, 1000, 500, 2000);

  static long ms(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }

  static BodyDeadline started(long at) {
    BodyDeadline d = new BodyDeadline(LIMITS, o -> { });
    d.resume(at);
    return d;
  }

  @Test
  void aStalledBodyIsOverdueOnceTheGapPasses() {
    BodyDeadline d = started(0);
    d.read(100, ms(100));
    assertThat(d.overdue(ms(1000))).isNull();
    assertThat(d.overdue(ms(1101))).isNotNull().hasMessageContaining("BATON_BODY_TIMEOUT_MS");
  }

  @Test
  void aDrippingBodyIsOverdueOnceItsGraceAndItsBytesAreSpent() {
    BodyDeadline d = started(0);
    // one byte every 500 ms: never a gap, but 2 bytes/s
    for (long t = 500; t <= 2000; t += 500) {
      d.read(1, ms(t));
      assertThat(d.overdue(ms(t))).as("at %d ms", t).isNull();
    }
    d.read(1, ms(2500));
    // 5 bytes buy 10 ms past the 2 s grace
    assertThat(d.overdue(ms(2009))).isNull();
    assertThat(d.overdue(ms(2500))).isNotNull().hasMessageContaining("BATON_BODY_MIN_RATE");
  }

  @Test
  void aBodyAtTheMinimumRateIsNeverCut() {
    BodyDeadline d = started(0);
    for (long t = 100; t <= 60_000; t += 100) {
      d.read(50, ms(t)); // 500 bytes/s
      assertThat(d.overdue(ms(t))).as("at %d ms", t).isNull();
    }
  }

  @Test
  void timeTheGatewayDidNotReadDoesNotCount() {
    BodyDeadline d = started(0);
    d.read(1000, ms(500));
    d.pause(ms(500)); // the instance is slower: the gateway stops reading for a minute
    assertThat(d.overdue(ms(60_500))).isNull();
    d.resume(ms(60_500));
    assertThat(d.readingNanos(ms(60_600))).isEqualTo(ms(600));
    d.read(1000, ms(60_600));
    assertThat(d.overdue(ms(61_500))).isNull();
    assertThat(d.overdue(ms(61_601))).as("the gap counts again once reading resumed").isNotNull();
  }

  @Test
  void nothingCountsBeforeTheGatewayAsksForTheBody() {
    BodyDeadline d = new BodyDeadline(LIMITS, o -> { });
    assertThat(d.overdue(ms(30_000))).as("waiting for an instance connection").isNull();
    d.resume(ms(30_000));
    assertThat(d.overdue(ms(30_900))).isNull();
    assertThat(d.overdue(ms(31_001))).isNotNull();
  }

  @Test
  void aZeroMinimumRateTurnsTheRateOff() {
    BodyDeadline d = new BodyDeadline(new GatewaySettings.RequestBodies(0, 1000, 0, 0), o -> { });
    d.resume(0);
    for (long t = 900; t <= 90_000; t += 900) {
      d.read(1, ms(t));
      assertThat(d.overdue(ms(t))).isNull();
    }
  }

  @Test
  void theSweepIntervalFollowsTheShorterDeadline() {
    assertThat(BodyDeadlines.sweepIntervalMs(new GatewaySettings.RequestBodies(0, 60_000, 500, 20_000))).isEqualTo(1000);
    assertThat(BodyDeadlines.sweepIntervalMs(new GatewaySettings.RequestBodies(0, 1000, 500, 400))).isEqualTo(100);
    assertThat(BodyDeadlines.sweepIntervalMs(new GatewaySettings.RequestBodies(0, 1000, 0, 0))).isEqualTo(250);
    assertThat(BodyDeadlines.sweepIntervalMs(new GatewaySettings.RequestBodies(0, 100, 500, 0))).isEqualTo(50);
  }
}
