package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadTest {

  @ParameterizedTest
  @ValueSource(strings = {"x", "shop.example.com", "shop.example.com:8080", "SHOP.Example.COM", "shop.example.com.",
      "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:65535", "[2001:db8::7]:443", "[::ffff:192.0.2.1]", "my_host",
      "xn--bcher-kva.example", "a-b.c-d"})
  void aHostNameOrAddressWithAnOptionalPortIsValid(String host) {
    assertThat(RequestHead.validAuthority(host)).as(host).isTrue();
    assertThat(RequestHead.host(HttpVersion.HTTP_1_1, List.of(host))).as(host).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "x y", "x, y", "x,y", "x/y", "user@x", "x:", "x:http", "x:65536", "x:123456",
      "x:-1", ":80", "[::1", "[]", "[x::1]", "[::1]x", "[::1]:", "[fe80::1%25eth0]", "..", ".x", "x..y", "x%2Fy",
      "x;y", "x'y", "x(y)", "x\\y", "x?y", "x#y", "caf\u00e9.example", "x:80:80"})
  void anythingElseIsInvalid(String host) {
    assertThat(RequestHead.validAuthority(host)).as("[%s]", host).isFalse();
    RequestFraming.Refusal r = RequestHead.host(HttpVersion.HTTP_1_1, List.of(host));
    assertThat(r).as("[%s]", host).isNotNull();
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("bad_host");
  }

  @Test
  void twoHostFieldLinesAreRefusedEvenWhenEqual() {
    RequestFraming.Refusal r = RequestHead.host(HttpVersion.HTTP_1_1, List.of("x", "x"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("exactly one Host").contains("2");
    assertThat(RequestHead.host(HttpVersion.HTTP_1_0, List.of("x", "y"))).isNotNull();
  }

  @Test
  void hostIsRequiredOnHttp11Only() {
    assertThat(RequestHead.host(HttpVersion.HTTP_1_1, List.of()).message()).contains("must carry a Host");
    assertThat(RequestHead.host(HttpVersion.HTTP_1_0, List.of())).isNull();
    assertThat(RequestHead.host(HttpVersion.HTTP_1_0, List.of("x y"))).as("invalid on 1.0 too").isNotNull();
  }
}
