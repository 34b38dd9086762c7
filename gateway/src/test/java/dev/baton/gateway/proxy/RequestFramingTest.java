package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFramingTest {

  @ParameterizedTest(name = "TE [{0}] CL [{1}] -> {2}")
  @CsvSource(delimiter = '|', value = {
      "|||0",
      "|5||0",
      "chunked|||0",
      "Chunked|||0",
      "gzip, chunked|||400",
      "identity|||400",
      "chunked|5||400",
      "|2000||413",
      "|1000||0",
      "|-1||400"})
  void refusals(String te, String cl, String ignored, int status) {
    MultiMap h = HttpHeaders.headers();
    if (te != null) {
      h.add("Transfer-Encoding", te);
    }
    if (cl != null) {
      h.add("Content-Length", cl);
    }
    RequestFraming.Refusal r = RequestFraming.check(h, 1000);
    assertThat(r == null ? 0 : r.status()).isEqualTo(status);
  }

  @Test
  void bodyDetection() {
    assertThat(RequestFraming.hasBody(HttpHeaders.headers())).isFalse();
    assertThat(RequestFraming.hasBody(HttpHeaders.headers().add("Content-Length", "0"))).isFalse();
    assertThat(RequestFraming.hasBody(HttpHeaders.headers().add("Content-Length", "3"))).isTrue();
    assertThat(RequestFraming.hasBody(HttpHeaders.headers().add("Transfer-Encoding", "chunked"))).isTrue();
  }

  @ParameterizedTest(name = "{0} -> host {1}, origin-form {2}")
  @CsvSource(delimiter = '|', value = {
      "http://evil.com/|evil.com|/",
      "http://127.0.0.1:8080/a?b=1|127.0.0.1|/a?b=1",
      "HTTPS://Shop.Example.com|Shop.Example.com|/",
      "http://[::1]:80/x|[::1]|/x",
      "http://host?q=1|host|/?q=1"})
  void absoluteForm(String uri, String host, String origin) {
    AbsoluteForm.Target t = AbsoluteForm.parse(uri);
    assertThat(t.host()).isEqualTo(host);
    assertThat(t.originForm()).isEqualTo(origin);
  }

  @ParameterizedTest
  @CsvSource({"ftp://x/", "*", "evil.com:443", "http://user@evil.com/", "http:///x"})
  void notAnHttpAbsoluteForm(String uri) {
    assertThat(AbsoluteForm.parse(uri)).isNull();
  }

  @ParameterizedTest(name = "{0} trusts {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/8|10.1.2.3|true",
      "10.0.0.0/8|11.1.2.3|false",
      "192.168.1.7|192.168.1.7|true",
      "192.168.1.7|192.168.1.8|false",
      "172.16.0.0/12|172.31.255.255|true",
      "172.16.0.0/12|172.32.0.1|false",
      "::1|::1|true",
      "fd00::/8|fd12:3456::1|true",
      "10.0.0.0/8|::1|false",
      "|127.0.0.1|false"})
  void trustedProxies(String list, String peer, boolean trusted) {
    assertThat(TrustedProxies.parse(list).trusts(peer)).isEqualTo(trusted);
  }

  @Test
  void badTrustedProxyEntriesAreRejected() {
    for (String bad : new String[] {"10.0.0.0/33", "example.com", "10.0.0/8", "1.2.3.4/x"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
