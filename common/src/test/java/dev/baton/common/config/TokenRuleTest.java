package dev.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenRuleTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1               | true
      127.1.2.3               | true
      127.255.255.255         | true
      localhost               | true
      LOCALHOST               | true
      ::1                     | true
      [::1]                   | true
      0:0:0:0:0:0:0:1         | true
      0000:0000::0001         | true
      0.0.0.0                 | false
      ::                      | false
      [::]                    | false
      10.0.0.5                | false
      128.0.0.1               | false
      126.0.0.1               | false
      127.0.0                 | false
      127.0.0.1.5             | false
      0127.0.0.1              | false
      127.0.0.01              | false
      127.0.0.256             | false
      ::2                     | false
      ::ffff:127.0.0.1        | false
      1::1                    | false
      localhost.example.com   | false
      myhost                  | false
      ''                      | false
      """)
  void loopbackIsOnlyLiteralLoopback(String host, boolean loopback) {
    assertThat(TokenRule.isLoopback(host)).isEqualTo(loopback);
  }

  /** service | command bind | BATON_TOKEN | BATON_READ_TOKEN | the key the one problem starts with, or '-'. */
  @ParameterizedTest(name = "{0} bind={1} token={2} read={3} -> {4}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      REGISTRY | 127.0.0.1 | null | null | -
      REGISTRY | 0.0.0.0   | null | null | BATON_TOKEN
      REGISTRY | 0.0.0.0   | op   | null | -
      REGISTRY | 10.0.0.5  | op   | rd   | -
      REGISTRY | 10.0.0.5  | null | rd   | BATON_TOKEN
      REGISTRY | 127.0.0.1 | null | rd   | BATON_READ_TOKEN
      REGISTRY | 127.0.0.1 | same | same | BATON_READ_TOKEN
      AGENT    | ::        | null | null | BATON_TOKEN
      AGENT    | localhost | null | null | -
      GATEWAY  | 0.0.0.0   | null | null | BATON_TOKEN
      GATEWAY  | 127.0.0.1 | null | null | -
      """)
  void theCommandPortFailsClosed(ServiceKind service, String bind, String token, String read, String firstKey) {
    var problems = TokenRule.problems(service, bind, token, read);
    if (firstKey.equals("-")) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).isNotEmpty();
      assertThat(problems.get(0)).startsWith(firstKey + ":");
    }
  }

  @Test
  void aRefusedBindNamesTheTokenTheBindKeyAndHowToMakeOne() {
    assertThat(TokenRule.problems(ServiceKind.GATEWAY, "0.0.0.0", null, null)).singleElement().asString()
        .startsWith("BATON_TOKEN: must be set because BATON_ADMIN_BIND=0.0.0.0 is not a loopback address")
        .contains("openssl rand -hex 32");
    assertThat(TokenRule.problems(ServiceKind.AGENT, "10.0.0.5", null, null)).singleElement().asString()
        .contains("BATON_BIND=10.0.0.5");
  }

  @Test
  void theGatewayTrafficBindNeedsNoTokenButItsAdminBindDoes() {
    assertThat(ConfigLoader.resolve(ServiceKind.GATEWAY, null, Map.of("BATON_BIND", "0.0.0.0"), "h").adminBind())
        .as("the admin port stays on loopback by default").isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> ConfigLoader.resolve(ServiceKind.GATEWAY, null, Map.of("BATON_ADMIN_BIND", "0.0.0.0"), "h"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_TOKEN").hasMessageContaining("BATON_ADMIN_BIND");
    assertThatThrownBy(() -> ConfigLoader.resolve(ServiceKind.GATEWAY, null, Map.of("BATON_ADMIN_BIND", "a b"), "h"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_ADMIN_BIND");
  }

  @Test
  void resolvingAppliesTheRuleToEveryService() {
    for (ServiceKind kind : ServiceKind.values()) {
      String bindKey = TokenRule.bindKey(kind);
      assertThatThrownBy(() -> ConfigLoader.resolve(kind, null, Map.of(bindKey, "0.0.0.0"), "h"))
          .as(kind.key).isInstanceOf(ConfigException.class).hasMessageContaining("BATON_TOKEN");
      Map<String, String> env = new LinkedHashMap<>(Map.of(bindKey, "0.0.0.0", "BATON_TOKEN", " op ",
          "BATON_READ_TOKEN", "rd"));
      BatonConfig c = ConfigLoader.resolve(kind, null, env, "h");
      assertThat(c.bearerToken()).as("trimmed").contains("op");
      assertThat(c.readToken()).contains("rd");
      assertThat(TokenRule.openWarning(c)).isEmpty();
    }
  }

  @Test
  void anOpenLoopbackApiIsAnnounced() {
    BatonConfig registry = ConfigLoader.resolve(ServiceKind.REGISTRY, null, Map.of(), "h");
    assertThat(TokenRule.openWarning(registry)).hasValueSatisfying(w -> assertThat(w)
        .startsWith("registry: WARNING: BATON_TOKEN is not set").contains("127.0.0.1:8090"));
    BatonConfig gateway = ConfigLoader.resolve(ServiceKind.GATEWAY, null, Map.of("BATON_BIND", "0.0.0.0"), "h");
    assertThat(TokenRule.openWarning(gateway)).hasValueSatisfying(w -> assertThat(w).contains("admin API on 127.0.0.1:8081"));
  }
}
