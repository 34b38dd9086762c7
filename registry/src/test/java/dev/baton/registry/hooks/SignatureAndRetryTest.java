package dev.baton.registry.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The signature of notifications against published HMAC-SHA256 vectors, and the retry schedules. */
class SignatureAndRetryTest {

  @Test
  void signatureIsTheHexHmacSha256OfTheBodyWithTheSecret() {
    // RFC 4231, test case 2.
    assertThat(Signature.of("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), "Jefe"))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // As `printf '{"a":1}' | openssl dgst -sha256 -hmac 0123456789abcdef` prints it.
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String sig = Signature.of(body, "0123456789abcdef");
    assertThat(sig).isEqualTo("sha256=1c76fbb930d3aa8b1633728fae212c68ca68a6752bb319b98be6fe17e86cf5b8");
    assertThat(Signature.verify(body, "0123456789abcdef", sig)).isTrue();
    assertThat(Signature.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), "0123456789abcdef", sig)).isFalse();
    assertThat(Signature.verify(body, "another-secret-of-16", sig)).isFalse();
    assertThat(Signature.verify(body, "0123456789abcdef", null)).isFalse();
  }

  @Test
  void notificationsAreTriedFiveTimesWithBoundedBackOff() {
    assertThat(IntStream.rangeClosed(1, 5).mapToLong(RetrySchedule::notifyDelayMs).boxed().toList())
        .containsExactly(1000L, 3000L, 9000L, 27000L, -1L);
    assertThat(IntStream.rangeClosed(1, 8).mapToLong(RetrySchedule::gateDelayMs).boxed().toList())
        .containsExactly(1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L, 15000L);
  }

  @Test
  void excerptsAreOneShortLine() {
    assertThat(WebhookClient.excerpt("not\nyet\r\n  ")).isEqualTo("not yet");
    assertThat(WebhookClient.excerpt("x".repeat(500))).hasSize(WebhookClient.EXCERPT).endsWith("...");
  }
}
