package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadValidationTest {

  /** Headers as the decoder makes them with Netty's own validation off. */
  static HttpHeaders headers(String... nameValues) {
    HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @Test
  void anOrdinaryRequestPasses() {
    assertThat(HeadValidation.request("GET", "/orders?id=1&x=%20y", headers("Host", "example.com:8080",
        "User-Agent", "curl/8.0 (x86_64)", "Accept", "*/*", "X-Tab", "a\tb", "X-Utf8", "caf\u00e9"))).isNull();
    assertThat(HeadValidation.request("PATCH", "/caf\u00e9", headers())).as("raw UTF-8 path, as nginx allows").isNull();
    assertThat(HeadValidation.request("OPTIONS", "*", headers("X-Empty", ""))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Transfer-Encoding ", " Host", "X(A)", "X A", "X:A", "", "X-\u00e9", "X-\u0000"})
  void aFieldNameThatIsNotATokenIsRefused(String name) {
    assertThat(HeadValidation.request("GET", "/", headers(name, "1"))).contains("header name is not a token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b", "a\u0001", "\u007f"})
  void aControlCharacterInAValueIsRefused(String value) {
    assertThat(HeadValidation.request("GET", "/", headers("X-A", value))).contains("X-A").contains("control character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a b", "/a\u0001b", "/a\rb", "/\u007f", "/a\tb"})
  void aControlCharacterOrSpaceInTheTargetIsRefused(String target) {
    assertThat(HeadValidation.request("GET", target, headers())).contains("request target");
  }

  @Test
  void aMethodThatIsNotATokenIsRefused() {
    assertThat(HeadValidation.request("G(T", "/", headers())).contains("method");
  }
}
