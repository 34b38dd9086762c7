package dev.baton.common.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadValidationTest {

  @Test
  void ordinaryRequestLinesPass() {
    assertThat(HeadValidation.requestLine("GET", "/orders?id=1&x=%20y")).isNull();
    assertThat(HeadValidation.requestLine("PATCH", "/caf\u00e9")).as("raw UTF-8 path, as nginx allows").isNull();
    assertThat(HeadValidation.requestLine("OPTIONS", "*")).isNull();
    assertThat(HeadValidation.requestLine("GET", "http://example.com:8080/a")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a b", "/a\u0001b", "/a\rb", "/a\nb", "/\u007f", "/a\tb", "/a\u0000"})
  void aControlCharacterOrSpaceInTheTargetIsRefused(String target) {
    assertThat(HeadValidation.requestLine("GET", target)).contains("request target");
  }

  @ParameterizedTest
  @ValueSource(strings = {"G(T", "", "GE T", "G\u00c9T"})
  void aMethodThatIsNotATokenIsRefused(String method) {
    assertThat(HeadValidation.requestLine(method, "/")).contains("method");
  }
}
