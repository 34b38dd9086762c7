package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestForkTest {

  @Test
  void twoForksGetDisjointBandsThatTogetherCoverTheRange() {
    int[] one = TestFork.band(0, 63, TestFork.number("1", 2), 2);
    int[] two = TestFork.band(0, 63, TestFork.number("2", 2), 2);
    assertThat(one).containsExactly(0, 31);
    assertThat(two).containsExactly(31, 62);
  }

  @Test
  void oneForkIsForkOneWhateverTheNumberSays() {
    assertThat(TestFork.number(null, 1)).isEqualTo(1);
    assertThat(TestFork.number("", 1)).isEqualTo(1);
    assertThat(TestFork.band(10_000, 20_000, 1, 1)).containsExactly(10_000, 20_000);
  }

  @Test
  void severalForksWithoutAUsableNumberAreRefusedNotGivenTheFirstBand() {
    for (String raw : new String[] {null, "", "${surefire.forkNumber}", "0", "3"}) {
      assertThatThrownBy(() -> TestFork.number(raw, 2)).as(String.valueOf(raw))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("baton.test.fork is '" + raw + "'")
          .hasMessageContaining("-Dbaton.test.fork=${surefire.forkNumber}").hasMessageContaining("argLine");
    }
  }
}
