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
}
