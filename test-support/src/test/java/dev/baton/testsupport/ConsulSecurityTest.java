package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ConsulSecurityTest {

  @Test
  void aclModeDeniesByDefaultAndTokensGetWhatTheirPolicyGrants() {
    try (ConsulProcess consul = ConsulProcess.start(ConsulProcess.Storage.IN_MEMORY, ConsulSecurity.Mode.ACL)) {
      Http anonymous = new Http(consul.httpAddress());
      assertThat(anonymous.putBytes("/v1/kv/t/x", "v".getBytes()).status()).isEqualTo(403);

      String token = consul.createToken("kv-t", "key_prefix \"t/\" {\n  policy = \"write\"\n}\n");

      Http withToken = anonymous.with(ConsulSecurity.TOKEN_HEADER, token);
      assertThat(withToken.putBytes("/v1/kv/t/x", "v".getBytes()).body().strip()).isEqualTo("true");
      Http.Response other = withToken.putBytes("/v1/kv/other/x", "v".getBytes());
      assertThat(other.status()).isEqualTo(403);
      assertThat(other.body()).contains("Permission denied");
      assertThat(anonymous.with(ConsulSecurity.TOKEN_HEADER, "not-a-token").get("/v1/kv/t/x").body())
          .contains("ACL not found");
    }
  }

  @Test
  void httpsModeServesTlsOnItsOwnPortWithCertificatesFromConsulsTool() {
    try (ConsulProcess consul = ConsulProcess.start(ConsulProcess.Storage.IN_MEMORY, ConsulSecurity.Mode.ACL_HTTPS)) {
      ConsulSecurity security = consul.security();
      assertThat(security.caFile()).content().startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(Files.exists(security.clientCertFile())).isTrue();
      assertThat(Files.exists(security.clientKeyFile())).isTrue();
      assertThat(consul.httpsPort()).isPositive().isNotEqualTo(consul.httpPort());

      Http.Response plain = new Http("http://127.0.0.1:" + consul.httpsPort()).get("/v1/status/leader");

      assertThat(plain.status()).isEqualTo(400);
      assertThat(plain.body()).contains("Client sent an HTTP request to an HTTPS server");
    }
  }
}
