package dev.baton.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

  @Test
  void noConfiguredTokenLetsEveryoneIn() {
    assertThat(BearerToken.authorized(Optional.empty(), null)).isTrue();
  }

  @Test
  void onlyTheExactBearerTokenIsAccepted() {
    Optional<String> token = Optional.of("s3cret");
    assertThat(BearerToken.authorized(token, "Bearer s3cret")).isTrue();
    assertThat(BearerToken.authorized(token, "bearer s3cret")).isTrue();
    assertThat(BearerToken.authorized(token, null)).isFalse();
    assertThat(BearerToken.authorized(token, "Bearer s3cre")).isFalse();
    assertThat(BearerToken.authorized(token, "Bearer s3cret2")).isFalse();
    assertThat(BearerToken.authorized(token, "Basic czNjcmV0")).isFalse();
    assertThat(BearerToken.authorized(token, "s3cret")).isFalse();
  }

  @Test
  void thePresentedTokenIsTheBearerCredential() {
    assertThat(BearerToken.presented("Bearer  abc ")).isEqualTo("abc");
    assertThat(BearerToken.presented("BEARER abc")).isEqualTo("abc");
    assertThat(BearerToken.presented("Bearer ")).isNull();
    assertThat(BearerToken.presented("Token abc")).isNull();
    assertThat(BearerToken.presented(null)).isNull();
  }

  @Test
  void tokensOfAnyLengthCompareWithoutError() {
    assertThat(BearerToken.matches("s3cret", "s3cret")).isTrue();
    assertThat(BearerToken.matches("s3cret", "")).isFalse();
    assertThat(BearerToken.matches("s3cret", "x".repeat(10_000))).isFalse();
    assertThat(BearerToken.matches("s3cret", null)).isFalse();
    assertThat(BearerToken.matches("caf\u00e9", "caf\u00e9")).isTrue();
  }
}
