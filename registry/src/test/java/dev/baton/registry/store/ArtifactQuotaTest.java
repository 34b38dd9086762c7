package dev.baton.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactQuotaTest {

  @ParameterizedTest(name = "quota {0}, in use {1}, incoming {2} -> exceeds {3}")
  @CsvSource({
      "100, 0, 100, false",
      "100, 0, 101, true",
      "100, 60, 40, false",
      "100, 60, 41, true",
      "100, 150, 0, false",
      "100, 150, 1, true",
      "9223372036854775807, 9223372036854775807, 1, true",
      "9223372036854775807, 1, 9223372036854775806, false",
  })
  void exceedsWhenIncomingIsMoreThanWhatIsFreeWithoutOverflowing(long quota, long inUse, long incoming, boolean exceeds) {
    assertThat(ArtifactQuota.exceeds(quota, inUse, incoming)).isEqualTo(exceeds);
  }

  @Test
  void otherUploadsInFlightCountButTheCallersOwnReservationIsNotCountedTwice() {
    ArtifactQuota quota = new ArtifactQuota(100);
    quota.reserve(30); // another upload
    quota.reserve(20); // ours, received so far
    assertThatCode(() -> quota.check("shop", "1.0.0", 50, 20, 20, true)).doesNotThrowAnyException();
    assertThatThrownBy(() -> quota.check("shop", "1.0.0", 50, 21, 20, true))
        .isInstanceOf(ArtifactQuota.ExceededException.class);
    quota.release(30);
    quota.release(20);
    assertThat(quota.inFlight()).isZero();
  }

  @Test
  void theRefusalNamesTheQuotaTheBytesInUseAndHowToFreeSpace() {
    ArtifactQuota quota = new ArtifactQuota(1000);
    assertThatThrownBy(() -> quota.check("shop", "3.0.0", 900, 200, 0, false))
        .hasMessageContaining("shop 3.0.0").hasMessageContaining("200 bytes")
        .hasMessageContaining("BATON_ARTIFACT_QUOTA_BYTES").hasMessageContaining("1000 bytes")
        .hasMessageContaining("900 bytes are in use").hasMessageContaining("DELETE /v1/artifacts/{app}/{version}")
        .hasMessageContaining("nothing was stored");
  }
}
