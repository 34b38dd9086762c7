package dev.baton.agent.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCredentialTest {

  /** registry URL | artifact URL | whether the token goes along. */
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      http://10.0.0.9:8090      | http://10.0.0.9:8090/v1/artifacts/shop/1.0.0        | true
      http://10.0.0.9:8090      | HTTP://10.0.0.9:8090/v1/artifacts/shop/1.0.0        | true
      http://reg.example:8090/  | http://REG.example:8090/v1/artifacts/shop/1.0.0     | true
      http://reg.example        | http://reg.example:80/v1/artifacts/shop/1.0.0       | true
      https://reg.example       | https://reg.example:443/v1/artifacts/shop/1.0.0     | true
      http://reg.example/baton  | http://reg.example/baton/v1/artifacts/shop/1.0.0    | true
      http://reg.example/baton  | http://reg.example/batonx/v1/artifacts/shop/1.0.0   | false
      http://reg.example/baton  | http://reg.example/baton/../v1/artifacts/shop/1.0.0 | false
      http://10.0.0.9:8090      | http://10.0.0.9:8091/v1/artifacts/shop/1.0.0        | false
      http://10.0.0.9:8090      | https://10.0.0.9:8090/v1/artifacts/shop/1.0.0       | false
      http://10.0.0.9:8090      | http://10.0.0.99:8090/v1/artifacts/shop/1.0.0       | false
      http://reg.example:8090   | http://reg.example:8090.evil.example/x.jar          | false
      http://reg.example:8090   | http://reg.example.evil.example:8090/x.jar          | false
      http://reg.example:8090   | http://user@reg.example:8090/x.jar                  | false
      http://reg.example:8090   | http://evil.example/?u=http://reg.example:8090/     | false
      http://reg.example:8090   | not a url                                           | false
      """)
  void theTokenGoesOnlyToTheRegistry(String registry, String url, boolean sent) {
    RegistryCredential c = new RegistryCredential(URI.create(registry), Optional.of("t0ken"));
    assertThat(c.tokenFor(url)).isEqualTo(sent ? Optional.of("t0ken") : Optional.empty());
  }

  /** BATON_REGISTRY_URL | artifact URL | where it is tried, in order. */
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      http://r1:8090,http://r2:8090          | http://r1:8090/v1/artifacts/shop/1.0.0   | http://r1:8090/v1/artifacts/shop/1.0.0 http://r2:8090/v1/artifacts/shop/1.0.0
      http://r1:8090,http://r2:8090          | http://r2:8090/v1/artifacts/shop/1.0.0   | http://r2:8090/v1/artifacts/shop/1.0.0 http://r1:8090/v1/artifacts/shop/1.0.0
      http://r1:8090, https://r2/baton/      | http://r3:8090/v1/artifacts/shop/1.0.0   | http://r3:8090/v1/artifacts/shop/1.0.0 http://r1:8090/v1/artifacts/shop/1.0.0 https://r2/baton/v1/artifacts/shop/1.0.0
      http://r1:8090,http://r2:8090          | HTTP://R1:8090/v1/artifacts/shop/1.0.0   | HTTP://R1:8090/v1/artifacts/shop/1.0.0 http://r2:8090/v1/artifacts/shop/1.0.0
      http://r1:8090                         | http://r1:8090/v1/artifacts/shop/1.0.0   | http://r1:8090/v1/artifacts/shop/1.0.0
      http://r1:8090,http://r2:8090          | http://cdn.example/shop-1.0.0.jar        | http://cdn.example/shop-1.0.0.jar
      http://r1:8090,http://r2:8090          | http://r1:8090/v1/artifacts/shop         | http://r1:8090/v1/artifacts/shop
      http://r1:8090,http://r2:8090          | http://r1:8090/v1/artifacts/shop/1/x     | http://r1:8090/v1/artifacts/shop/1/x
      """)
  void anArtifactIsTriedOnItsOwnURLThenOnEveryOtherRegistry(String registries, String url, String tried) {
    RegistryCredential c = new RegistryCredential(RegistryCredential.registries(registries), Optional.of("t"));
    assertThat(c.sources(url)).containsExactly(tried.split(" "));
  }

  /** configured | passing in Consul | artifact URL | where it is tried, in order. */
  @ParameterizedTest(name = "{0} + passing {1} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      http://r1:8090,http://r2:8090,http://r3:8090 | http://r3:8090/                 | http://r1:8090/v1/artifacts/a/1 | http://r1:8090/v1/artifacts/a/1 http://r3:8090/v1/artifacts/a/1 http://r2:8090/v1/artifacts/a/1
      http://r1:8090,http://r2:8090                | http://evil:8090 http://r2:8090 | http://r1:8090/v1/artifacts/a/1 | http://r1:8090/v1/artifacts/a/1 http://r2:8090/v1/artifacts/a/1
      http://r1:8090,http://r2:8090/baton          | http://r2:8090                  | http://r1:8090/v1/artifacts/a/1 | http://r1:8090/v1/artifacts/a/1 http://r2:8090/baton/v1/artifacts/a/1
      http://r1:8090,http://r2:8090,http://r3:8090 | http://r3:8090 http://r2:8090   | http://r9:8090/v1/artifacts/a/1 | http://r9:8090/v1/artifacts/a/1 http://r2:8090/v1/artifacts/a/1 http://r3:8090/v1/artifacts/a/1 http://r1:8090/v1/artifacts/a/1
      """)
  void registriesPassingInConsulAreTriedFirstAndOnlyConfiguredOnesAtAll(String registries, String passing,
                                                                        String url, String tried) {
    RegistryCredential c = new RegistryCredential(RegistryCredential.registries(registries), Optional.of("t"));
    assertThat(c.sources(url, java.util.List.of(passing.split(" ")))).containsExactly(tried.split(" "));
  }

  @Test
  void theTokenGoesToEveryConfiguredRegistryAndNoOtherHost() {
    RegistryCredential c = new RegistryCredential(RegistryCredential.registries("http://r1:8090,http://r2:8090/"),
        Optional.of("t"));
    assertThat(c.tokenFor("http://r2:8090/v1/artifacts/shop/1.0.0")).contains("t");
    assertThat(c.tokenFor("http://r1:8090/v1/artifacts/shop/1.0.0")).contains("t");
    assertThat(c.tokenFor("http://r3:8090/v1/artifacts/shop/1.0.0")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      http://r1:8090,,http://r2:8090
      http://r1:8090,ftp://r2
      http://r1:8090,r2:8090
      http://user@r1:8090
      http://r1:8090?x=1
      """)
  void aBadRegistryListIsAStartErrorNamingTheKey(String value) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryCredential.registries(value))
        .isInstanceOf(dev.baton.common.config.ConfigException.class).hasMessageContaining("BATON_REGISTRY_URL");
  }

  @Test
  void theRegistryTokenWinsOverTheAgentsOwn() {
    Map<String, String> env = Map.of("BATON_TOKEN", "agent-op", "BATON_REGISTRY_URL", "http://10.0.0.9:8090");
    assertThat(RegistryCredential.from(ConfigLoader.resolve(ServiceKind.AGENT, null, env, "h")).token())
        .contains("agent-op");
    Map<String, String> both = Map.of("BATON_TOKEN", "agent-op", "BATON_REGISTRY_TOKEN", "registry-read",
        "BATON_REGISTRY_URL", "http://10.0.0.9:8090/");
    RegistryCredential c = RegistryCredential.from(ConfigLoader.resolve(ServiceKind.AGENT, null, both, "h"));
    assertThat(c.token()).contains("registry-read");
    assertThat(c.tokenFor("http://10.0.0.9:8090/v1/artifacts/a/1")).contains("registry-read");
    assertThat(RegistryCredential.from(ConfigLoader.resolve(ServiceKind.AGENT, null, Map.of(), "h")).token())
        .as("no token at all: nothing is sent").isEmpty();
  }
}
