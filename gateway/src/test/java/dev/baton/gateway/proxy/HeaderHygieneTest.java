package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderHygieneTest {

  @ParameterizedTest(name = "Connection: {0}")
  @CsvSource(delimiter = '|', value = {
      "keep-alive|",
      "close|",
      "Keep-Alive, X-Secret|x-secret",
      "x-a,x-b , ,X-C|x-a;x-b;x-c",
      "upgrade|upgrade"})
  void connectionNamedFields(String header, String expected) {
    List<String> want = expected == null ? List.of() : List.of(expected.split(";"));
    assertThat(HeaderHygiene.connectionNamed(header)).isEqualTo(want);
  }

  @Test
  void stripsHopByHopAndConnectionNamedFields() {
    MultiMap h = HttpHeaders.headers()
        .add("Connection", "keep-alive, X-Internal-Token")
        .add("X-Internal-Token", "secret")
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive")
        .add("TE", "trailers")
        .add("Trailer", "X-Checksum")
        .add("Transfer-Encoding", "chunked")
        .add("Upgrade", "h2c")
        .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
        .add("Accept", "application/json")
        .add("X-Request-Id", "r1");
    HeaderHygiene.stripHopByHop(h, false);
    assertThat(h.names()).containsExactlyInAnyOrder("Accept", "X-Request-Id");
  }

  @Test
  void webSocketHandshakeKeepsUpgrade() {
    MultiMap h = HttpHeaders.headers().add("Connection", "keep-alive, Upgrade").add("Upgrade", "websocket");
    HeaderHygiene.stripHopByHop(h, true);
    assertThat(h.get("Upgrade")).isEqualTo("websocket");
    assertThat(h.get("Connection")).isEqualToIgnoringCase("upgrade");
  }

  @Test
  void untrustedPeerCannotForgeForwardedHeaders() {
    MultiMap h = HttpHeaders.headers().add("X-Forwarded-For", "1.2.3.4").add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "bank.example").add("Forwarded", "for=1.2.3.4");
    HeaderHygiene.forwarded(h, "127.0.0.1", false, "shop.example.com", "http");
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    assertThat(h.contains("Forwarded")).isFalse();
  }

  @Test
  void trustedProxyChainIsExtended() {
    MultiMap h = HttpHeaders.headers().add("X-Forwarded-For", "203.0.113.9").add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "shop.example.com");
    HeaderHygiene.forwarded(h, "10.0.0.2", true, "internal:8080", "http");
    assertThat(h.get("X-Forwarded-For")).isEqualTo("203.0.113.9, 10.0.0.2");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
  }
}
