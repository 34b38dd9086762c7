package dev.baton.common.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsulRefusalTest {

  /** failure text | token set | tls | the advice contains (- for no advice). */
  @ParameterizedTest(name = "{0} (token {1}, tls {2})")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Status message: 'Forbidden'. Body: 'ACL not found'                  | true  | false | Consul does not know the ACL token in BATON_CONSUL_TOKEN
      Status message: 'Forbidden'. Body: 'ACL not found'                  | false | false | without an ACL token (ACL not found): set BATON_CONSUL_TOKEN (or CONSUL_HTTP_TOKEN)
      Status message: 'Forbidden'. Body: 'Permission denied: Missing service:write on x' | true | false | the ACL token in BATON_CONSUL_TOKEN lacks a permission (Permission denied: Missing service:write on x): give it baton's ACL policy
      consul refused to register a-1: 403 Permission denied               | false | false | no ACL token is set and Consul's anonymous token may not do this (Permission denied): set BATON_CONSUL_TOKEN
      GET /v1/kv/baton/routes/ answered 400: Client sent an HTTP request to an HTTPS server. | false | false | this Consul port speaks HTTPS: set BATON_CONSUL_CA
      io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record   | false | true  | speaks plain HTTP
      sun.security.validator.ValidatorException: PKIX path building failed | true | true  | not signed by the CA in BATON_CONSUL_CA
      java.security.cert.CertificateException: No subject alternative names matching IP address 10.0.0.1 found | true | true | does not name BATON_CONSUL_HOST
      javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate | true | true | set BATON_CONSUL_CLIENT_CERT and BATON_CONSUL_CLIENT_KEY
      io.netty.channel.ConnectTimeoutException: connection timed out      | true  | true  | -
      Connection refused: /127.0.0.1:8500                                 | true  | false | -
      javax.net.ssl.SSLHandshakeException: PKIX path building failed      | true  | false | -
      """)
  void namesTheKeyThatFixesARefusal(String failure, boolean tokenSet, boolean tls, String advice) {
    Optional<String> got = ConsulRefusal.describe(failure, tokenSet, tls);
    if (advice == null) {
      assertThat(got).isEmpty();
    } else {
      assertThat(got).hasValueSatisfying(m -> assertThat(m).contains(advice));
    }
  }

  @Test
  void explainWrapsRefusalsAndKeepsOtherFailures() {
    ConsulAccess access = new ConsulAccess("127.0.0.1", 8500, false, null, null, null, "s3cret");
    Throwable refused = access.explain(new VertxException("Status message: 'Forbidden'. Body: 'ACL not found'"));
    assertThat(refused).isInstanceOf(ConsulRefusedException.class)
        .hasMessageStartingWith("Consul at http://127.0.0.1:8500 refused baton: ")
        .hasMessageContaining("BATON_CONSUL_TOKEN").hasMessageNotContaining("s3cret");
    assertThat(access.explain(refused)).isSameAs(refused);
    Throwable down = new VertxException("Connection refused");
    assertThat(access.explain(down)).isSameAs(down);
  }
}
