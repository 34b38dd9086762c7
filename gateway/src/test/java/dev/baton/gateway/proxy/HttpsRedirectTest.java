package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpsRedirectTest {

  @Test
  void keepsTheHostNameAndTargetAndTakesTheHttpsPort() {
    assertThat(HttpsRedirect.location("shop.example.com:8080", "gw", 8443, "/orders?id=1"))
        .isEqualTo("https://shop.example.com:8443/orders?id=1");
    assertThat(HttpsRedirect.location("shop.example.com", "gw", 443, "/")).isEqualTo("https://shop.example.com/");
  }

  @Test
  void keepsAnIpv6LiteralWhole() {
    assertThat(HttpsRedirect.location("[::1]:8080", "gw", 8443, "/a")).isEqualTo("https://[::1]:8443/a");
    assertThat(HttpsRedirect.location("[2001:db8::7]", "gw", 443, "/a")).isEqualTo("https://[2001:db8::7]/a");
  }

  @Test
  void withoutAHostHeaderUsesTheGatewaysOwnName() {
    assertThat(HttpsRedirect.location(null, "gw.internal", 8443, "/x")).isEqualTo("https://gw.internal:8443/x");
    assertThat(HttpsRedirect.location(" ", "gw.internal", 443, "/x")).isEqualTo("https://gw.internal/x");
  }
}
