package dev.baton.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {

  private static final AccessPolicy BOTH = new AccessPolicy(Optional.of("op-secret"), Optional.of("read-secret"));

  /** method | Authorization header | expected status (200: admitted). */
  @ParameterizedTest(name = "{0} with ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      GET    | null                  | 401
      GET    | Bearer wrong          | 401
      GET    | Bearer                | 401
      GET    | Basic b3Atc2VjcmV0    | 401
      GET    | op-secret             | 401
      GET    | Bearer read-secret    | 200
      HEAD   | Bearer read-secret    | 200
      GET    | bearer read-secret    | 200
      POST   | Bearer read-secret    | 403
      PUT    | Bearer read-secret    | 403
      DELETE | Bearer read-secret    | 403
      PATCH  | Bearer read-secret    | 403
      OPTIONS| Bearer read-secret    | 403
      GET    | Bearer op-secret      | 200
      POST   | Bearer op-secret      | 200
      DELETE | Bearer op-secret      | 200
      POST   | null                  | 401
      POST   | Bearer op-secret2     | 401
      POST   | Bearer read-secretx   | 401
      """)
  void operatorDoesEverythingReaderOnlyReads(String method, String authorization, int status) {
    Optional<ApiException> refusal = BOTH.refusal(HttpMethod.valueOf(method.trim()), authorization);
    assertThat(refusal.map(ApiException::status).orElse(200)).isEqualTo(status);
    refusal.ifPresent(e -> assertThat(e.code()).isEqualTo(status == 401 ? "unauthorized" : "forbidden"));
  }

  @Test
  void refusalsSayWhichTokenIsNeeded() {
    assertThat(BOTH.refusal(HttpMethod.POST, "Bearer read-secret")).get().extracting(Throwable::getMessage)
        .asString().contains("POST needs the operator token (BATON_TOKEN)");
    assertThat(BOTH.refusal(HttpMethod.GET, null)).get().extracting(Throwable::getMessage).asString()
        .contains("BATON_TOKEN").contains("BATON_READ_TOKEN");
    AccessPolicy operatorOnly = new AccessPolicy(Optional.of("op-secret"), Optional.empty());
    assertThat(operatorOnly.refusal(HttpMethod.GET, null)).get().extracting(Throwable::getMessage).asString()
        .contains("BATON_TOKEN").doesNotContain("BATON_READ_TOKEN");
  }

  @Test
  void withoutAReadTokenNoPresentedTokenReads() {
    AccessPolicy operatorOnly = new AccessPolicy(Optional.of("op-secret"), Optional.empty());
    assertThat(operatorOnly.access("Bearer read-secret")).isEqualTo(AccessPolicy.Access.NONE);
    assertThat(operatorOnly.access("Bearer op-secret")).isEqualTo(AccessPolicy.Access.OPERATOR);
  }

  @Test
  void noOperatorTokenMeansOpen() {
    AccessPolicy open = new AccessPolicy(Optional.empty(), Optional.empty());
    assertThat(open.open()).isTrue();
    assertThat(open.refusal(HttpMethod.DELETE, null)).isEmpty();
    assertThat(BOTH.open()).isFalse();
  }
}
