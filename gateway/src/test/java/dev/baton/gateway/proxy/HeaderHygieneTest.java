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

  @ParameterizedTest(name = "{0} from an untrusted peer is dropped, from a trusted one kept")
  @CsvSource({"X-Real-IP,6.6.6.6", "True-Client-IP,6.6.6.6", "X-Client-IP,6.6.6.6", "Client-IP,6.6.6.6",
      "X-Cluster-Client-IP,6.6.6.6", "X-Forwarded-Port,443", "X-Forwarded-Prefix,/admin", "X-Forwarded-Ssl,on",
      "X-Forwarded-Scheme,https"})
  void clientAddressAndOriginalRequestHeadersOnlyFromTrustedProxies(String name, String value) {
    MultiMap untrusted = HttpHeaders.headers().add(name, value).add(name.toLowerCase(), value).add("Accept", "*/*");
    HeaderHygiene.forwarded(untrusted, "127.0.0.1", false, "shop.example.com", "http");
    assertThat(untrusted.contains(name)).isFalse();
    assertThat(untrusted.get("Accept")).isEqualTo("*/*");
    MultiMap trusted = HttpHeaders.headers().add(name, value);
    HeaderHygiene.forwarded(trusted, "10.0.0.2", true, "shop.example.com", "http");
    assertThat(trusted.getAll(name)).containsExactly(value);
  }

  @Test
  void trustedProxyChainIsExtended() {
    MultiMap h = HttpHeaders.headers().add("X-Forwarded-For", "203.0.113.9").add("X-Forwarded-Proto", "https")
        .add("X-Forwarded-Host", "shop.example.com");
    HeaderHygiene.forwarded(h, "10.0.0.2", true, "internal:8080", "http");
    assertThat(h.get("X-Forwarded-For")).isEqualTo("203.0.113.9, 10.0.0.2");
    assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    assertThat(h.contains("Forwarded")).as("not started by the gateway").isFalse();
  }

  @Test
  void aTrustedChainSplitOverSeveralFieldsIsKeptWhole() {
    MultiMap h = HttpHeaders.headers().add("X-Forwarded-For", "203.0.113.9").add("X-Forwarded-For", "198.51.100.4");
    HeaderHygiene.forwarded(h, "10.0.0.2", true, null, "http");
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("203.0.113.9, 198.51.100.4, 10.0.0.2");
  }

  @Test
  void aTrustedProxysForwardedIsExtendedWithThePeer() {
    MultiMap h = HttpHeaders.headers().add("Forwarded", "for=203.0.113.9;proto=https;host=shop.example.com");
    HeaderHygiene.forwarded(h, "10.0.0.2", true, "shop.example.com", "http");
    assertThat(h.getAll("Forwarded")).containsExactly("for=203.0.113.9;proto=https;host=shop.example.com",
        "for=10.0.0.2");
    MultiMap v6 = HttpHeaders.headers().add("Forwarded", "for=203.0.113.9");
    HeaderHygiene.forwarded(v6, "0:0:0:0:0:0:0:1", true, null, "http");
    assertThat(v6.getAll("Forwarded")).endsWith("for=\"[0:0:0:0:0:0:0:1]\"");
  }
}
