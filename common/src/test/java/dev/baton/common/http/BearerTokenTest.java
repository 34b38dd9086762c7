package dev.baton.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

  @Test
  void onlyTheExactBearerTokenMatches() {
    for (String header : new String[] {"Bearer s3cret", "bearer s3cret"}) {
      assertThat(BearerToken.matches("s3cret", BearerToken.presented(header))).as(header).isTrue();
    }
    for (String header : new String[] {null, "Bearer s3cre", "Bearer s3cret2", "Basic czNjcmV0", "s3cret"}) {
      assertThat(BearerToken.matches("s3cret", BearerToken.presented(header))).as(header).isFalse();
    }
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
