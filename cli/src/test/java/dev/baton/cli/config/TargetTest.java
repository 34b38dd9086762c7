package dev.baton.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetTest {

  @TempDir
  Path dir;

  private ContextStore store;
  private static final Target.Flags NONE = new Target.Flags(null, null, null, null);

  @BeforeEach
  void contexts() throws Exception {
    store = ContextStore.load(dir.resolve("config.yaml"));
    Files.writeString(dir.resolve("staging.token"), "staging-token\n");
    store.put(new Context("prod", "https://prod.internal:8090", "prod-token", null, "/etc/baton/ca.pem", "prod-read"));
    store.put(new Context("staging", "http://10.0.0.5:8090", null, dir.resolve("staging.token").toString(), null, null));
    store.use("prod");
  }

  @Test
  void defaultIsTheDevStackWithoutToken() {
    Target t = Target.resolve(NONE, Map.of(), ContextStore.load(dir.resolve("none.yaml")));
    assertThat(t.registry()).isEqualTo("http://127.0.0.1:8090");
    assertThat(t.token()).isNull();
    assertThat(t.describeToken()).startsWith("no token");
  }

  @Test
  void theCurrentContextGivesRegistryTokenAndCa() {
    Target t = Target.resolve(NONE, Map.of(), store);
    assertThat(t.registry()).isEqualTo("https://prod.internal:8090");
    assertThat(t.token()).isEqualTo("prod-token");
    assertThat(t.ca()).isEqualTo(Path.of("/etc/baton/ca.pem"));
    assertThat(t.describeToken()).isEqualTo("the token from context 'prod' in " + store.file());
    assertThat(t.readToken()).isEqualTo("prod-read");
    assertThat(Target.resolve(NONE, Map.of("BATON_READ_TOKEN", "env-read"), store).readToken()).isEqualTo("env-read");
  }

  @Test
  void aNamedContextReadsItsTokenFile() {
    Target t = Target.resolve(new Target.Flags(null, null, "staging", null), Map.of(), store);
    assertThat(t.registry()).isEqualTo("http://10.0.0.5:8090");
    assertThat(t.token()).isEqualTo("staging-token");
    assertThat(Target.resolve(NONE, Map.of("BATON_CONTEXT", "staging"), store).token()).isEqualTo("staging-token");
  }

  @Test
  void environmentBeatsTheContextAndFlagsBeatTheEnvironment() {
    Map<String, String> env = Map.of("BATON_REGISTRY_URL", "http://env:1/", "BATON_TOKEN", "env-token");
    Target t = Target.resolve(NONE, env, store);
    assertThat(t.registry()).isEqualTo("http://env:1");
    assertThat(t.tokenSource()).isEqualTo("BATON_TOKEN");
    Target f = Target.resolve(new Target.Flags("http://flag:2", "flag-token", null, null), env, store);
    assertThat(f.registry()).isEqualTo("http://flag:2");
    assertThat(f.token()).isEqualTo("flag-token");
    assertThat(f.registrySource()).isEqualTo("--registry");
  }

  @Test
  void aContextsTokenIsNeverSentToAnotherRegistry() {
    Target t = Target.resolve(new Target.Flags("http://elsewhere:8090", null, null, null), Map.of(), store);
    assertThat(t.token()).isNull();
    assertThat(t.ca()).isNull();
    assertThat(t.readToken()).isNull();
    assertThat(Target.resolve(NONE, Map.of("BATON_REGISTRY_URL", "http://elsewhere:8090"), store).token()).isNull();
  }

  @Test
  void anUnknownContextSaysWhatToDo() {
    assertThatThrownBy(() -> Target.resolve(new Target.Flags(null, null, "qa", null), Map.of(), store))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no context 'qa'")
        .hasMessageContaining("baton context list");
  }

  @Test
  void configLocationHonoursTheEnvironment() {
    assertThat(ContextStore.location(Map.of("BATON_CLI_CONFIG", "/x/c.yaml"))).isEqualTo(Path.of("/x/c.yaml"));
    assertThat(ContextStore.location(Map.of("XDG_CONFIG_HOME", "/xdg"))).isEqualTo(Path.of("/xdg/baton/config.yaml"));
    assertThat(ContextStore.location(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".config", "baton", "config.yaml"));
  }
}
