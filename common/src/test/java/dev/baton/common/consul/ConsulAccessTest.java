package dev.baton.common.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ConfigSource;
import dev.baton.common.config.ServiceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsulAccessTest {

  private static ConsulAccess access(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return ConsulAccess.from(config(env));
  }

  private static BatonConfig config(Map<String, String> env) {
    return ConfigLoader.resolve(ServiceKind.GATEWAY, null, env, "h");
  }

  @Test
  void defaultIsPlainHttpWithoutToken() {
    ConsulAccess a = access();
    assertThat(a).extracting(ConsulAccess::host, ConsulAccess::port, ConsulAccess::tls, ConsulAccess::token)
        .containsExactly("127.0.0.1", 8500, false, null);
    assertThat(a.headers().isEmpty()).isTrue();
    assertThat(a.clientOptions().getAclToken()).isNull();
    assertThat(a.clientOptions().isSsl()).isFalse();
    assertThat(a.address()).isEqualTo("http://127.0.0.1:8500");
  }

  @Test
  void tokenGoesToEveryClientButNeverIntoToString() {
    ConsulAccess a = access("BATON_CONSUL_TOKEN", " 0b7c-secret ");
    assertThat(a.token()).isEqualTo("0b7c-secret");
    assertThat(a.clientOptions().getAclToken()).isEqualTo("0b7c-secret");
    assertThat(a.headers().get("x-consul-token")).isEqualTo("0b7c-secret");
    assertThat(a.toString()).doesNotContain("secret").contains("token set");
  }

  /** BATON_CONSUL_TOKEN (env) | consulToken (file) | CONSUL_HTTP_TOKEN | expected token. */
  @ParameterizedTest(name = "env {0}, file {1}, CONSUL_HTTP_TOKEN {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      -     | -      | cli   | cli
      baton | -      | cli   | baton
      -     | file   | cli   | file
      baton | file   | -     | baton
      -     | -      | '  '  | -
      -     | -      | -     | -
      """)
  void consulCliTokenIsTheFallback(String env, String file, String cli, String expected) {
    Map<String, String> vars = new HashMap<>();
    if (env != null) {
      vars.put("BATON_CONSUL_TOKEN", env);
    }
    if (cli != null) {
      vars.put("CONSUL_HTTP_TOKEN", cli);
    }
    ConfigSource source = file == null ? null : new ConfigSource("gw.yaml", "consulToken: " + file + "\n");
    assertThat(ConsulAccess.from(ConfigLoader.resolve(ServiceKind.GATEWAY, source, vars, "h")).token())
        .isEqualTo(expected);
  }

  @Test
  void blankTokenIsAConfigErrorNamingTheKey() {
    assertThatThrownBy(() -> access("BATON_CONSUL_TOKEN", "  ")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_CONSUL_TOKEN: must not be blank");
    assertThatThrownBy(() -> access("BATON_CONSUL_TOKEN", "a b")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_CONSUL_TOKEN").hasMessageNotContaining("a b");
  }

  /** env | tls | port. */
  @ParameterizedTest(name = "{0} -> tls {1}, port {2}")
  @CsvSource(delimiter = '|', textBlock = """
      BATON_CONSUL_TLS=true                          | true  | 8501
      BATON_CONSUL_TLS=false                         | false | 8500
      BATON_CONSUL_CA=/ca.pem                        | true  | 8501
      BATON_CONSUL_CA=/ca.pem,BATON_CONSUL_PORT=9501 | true  | 9501
      BATON_CONSUL_TLS=true,BATON_CONSUL_PORT=8500   | true  | 8500
      BATON_CONSUL_CLIENT_CERT=/c.pem,BATON_CONSUL_CLIENT_KEY=/k.pem | true | 8501
      """)
  void caOrClientCertificateImpliesHttpsOnConsulsHttpsPort(String env, boolean tls, int port) {
    Map<String, String> vars = new HashMap<>();
    for (String kv : env.split(",")) {
      vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    ConsulAccess a = ConsulAccess.from(config(vars));
    assertThat(a.tls()).isEqualTo(tls);
    assertThat(a.port()).isEqualTo(port);
    assertThat(a.clientOptions().isSsl()).isEqualTo(tls);
    assertThat(a.httpClientOptions().isSsl()).isEqualTo(tls);
    assertThat(a.webClientOptions().isSsl()).isEqualTo(tls);
    assertThat(a.address()).startsWith(tls ? "https://" : "http://").endsWith(":" + port);
  }

  @Test
  void contradictionsAreConfigErrors() {
    assertThatThrownBy(() -> access("BATON_CONSUL_TLS", "false", "BATON_CONSUL_CA", "/ca.pem"))
        .hasMessageContaining("BATON_CONSUL_TLS: is false but BATON_CONSUL_CA is set");
    assertThatThrownBy(() -> access("BATON_CONSUL_CLIENT_CERT", "/c.pem"))
        .hasMessageContaining("BATON_CONSUL_CLIENT_KEY: must be set together with BATON_CONSUL_CLIENT_CERT");
    assertThatThrownBy(() -> access("BATON_CONSUL_TLS", "maybe"))
        .hasMessageContaining("BATON_CONSUL_TLS: 'maybe' is not true or false");
  }

  @Test
  void unreadableOrNonPemFilesAreConfigErrorsNamingTheKey(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> access("BATON_CONSUL_CA", missing.toString()).checkFiles())
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_CONSUL_CA: cannot read '" + missing + "'");
    assertThatThrownBy(() -> access("BATON_CONSUL_CA", notPem.toString()).checkFiles())
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_CONSUL_CA: '" + notPem + "'");
    assertThatThrownBy(() -> access("BATON_CONSUL_CLIENT_CERT", notPem.toString(), "BATON_CONSUL_CLIENT_KEY",
        notPem.toString()).checkFiles())
        .hasMessageContaining("BATON_CONSUL_CLIENT_CERT: '" + notPem + "'")
        .hasMessageContaining("BATON_CONSUL_CLIENT_KEY: '" + notPem + "' holds no PEM private key");
    assertThat(access().checkFiles()).isEqualTo(access());
  }
}
