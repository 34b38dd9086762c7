package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpsRedirectTest {

  @ParameterizedTest(name = "Host: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "shop.example.com:8080|shop.example.com",
      "shop.example.com|shop.example.com",
      "' Shop.Example.com '|Shop.Example.com",
      "[::1]:8080|[::1]",
      "[2001:db8::7]|[2001:db8::7]",
      "127.0.0.1:80|127.0.0.1"})
  void theHostNameIsTheHostHeaderWithoutItsPort(String header, String name) {
    assertThat(HttpsRedirect.hostName(header)).isEqualTo(name);
  }

  @Test
  void aMissingOrBlankHostHeaderHasNoName() {
    assertThat(HttpsRedirect.hostName(null)).isNull();
    assertThat(HttpsRedirect.hostName(" ")).isNull();
  }

  @Test
  void keepsTheTargetAndTakesTheHttpsPort() {
    assertThat(HttpsRedirect.location("shop.example.com", 8443, "/orders?id=1"))
        .isEqualTo("https://shop.example.com:8443/orders?id=1");
    assertThat(HttpsRedirect.location("shop.example.com", 443, "/")).isEqualTo("https://shop.example.com/");
    assertThat(HttpsRedirect.location("[::1]", 8443, "/a")).isEqualTo("https://[::1]:8443/a");
  }
}
