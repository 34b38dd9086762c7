package dev.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  private static BatonConfig resolve(ServiceKind kind, ConfigSource file, Map<String, String> env) {
    return ConfigLoader.resolve(kind, file, env, "host1");
  }

  @Test
  void defaultsRunOnOneMachine() {
    BatonConfig gw = resolve(ServiceKind.GATEWAY, null, Map.of());
    assertThat(gw.httpPort()).isEqualTo(8080);
    assertThat(gw.adminPort()).isEqualTo(8081);
    assertThat(gw.bind()).isEqualTo("127.0.0.1");
    assertThat(gw.consulHost()).isEqualTo("127.0.0.1");
    assertThat(gw.consulPort()).isEqualTo(8500);
    assertThat(gw.clusterPort()).isZero();
    assertThat(gw.clusterMembers()).containsExactly("127.0.0.1");
    assertThat(gw.clusterName()).isEqualTo("baton");
    assertThat(gw.bearerToken()).isEmpty();
    assertThat(gw.id()).isEqualTo("host1-8080");
    assertThat(gw.portRange()).isEqualTo(new PortRange(20000, 20999));
    assertThat(gw.dataDir()).isEqualTo("./data/gateway");
    assertThat(gw.registryUrl()).isEqualTo("http://127.0.0.1:8090");
    assertThat(resolve(ServiceKind.AGENT, null, Map.of()).httpPort()).isEqualTo(8070);
    assertThat(resolve(ServiceKind.REGISTRY, null, Map.of()).httpPort()).isEqualTo(8090);
  }

  /** key | default (agent) | file value (YAML) | env value | expected. */
  @ParameterizedTest(name = "{0}: default < file < env")
  @CsvSource(delimiter = '|', textBlock = """
      BATON_HTTP_PORT      | httpPort      | 8070  | 9001             | 9002             | 9002
      BATON_CONSUL_HOST    | consulHost    | 127.0.0.1 | consul.local | 10.0.0.5         | 10.0.0.5
      BATON_CLUSTER_NAME   | clusterName   | baton | prod             | staging          | staging
      BATON_ID             | id            | host1-8070 | agent-a     | agent-b          | agent-b
      BATON_PORT_RANGE     | portRange     | 20000-20999 | 21000-21099 | 22000-22009    | 22000-22009
      """)
  void envBeatsFileBeatsDefaults(String envKey, String fileKey, String dflt, String fileValue, String envValue,
                                 String expected) {
    assertThat(pick(resolve(ServiceKind.AGENT, null, Map.of()), envKey)).isEqualTo(dflt);
    ConfigSource file = new ConfigSource("baton.yaml", fileKey + ": " + fileValue + "\n");
    assertThat(pick(resolve(ServiceKind.AGENT, file, Map.of()), envKey)).isEqualTo(fileValue);
    assertThat(pick(resolve(ServiceKind.AGENT, file, Map.of(envKey, envValue)), envKey)).isEqualTo(expected);
  }

  private static String pick(BatonConfig c, String envKey) {
    return switch (envKey) {
      case "BATON_HTTP_PORT" -> String.valueOf(c.httpPort());
      case "BATON_CONSUL_HOST" -> c.consulHost();
      case "BATON_CLUSTER_NAME" -> c.clusterName();
      case "BATON_ID" -> c.id();
      case "BATON_PORT_RANGE" -> c.portRange().toString();
      default -> throw new IllegalArgumentException(envKey);
    };
  }

  @Test
  void jsonFileNestedKeysAndListsAreUnderstood() {
    ConfigSource file = new ConfigSource("/etc/baton/agent.json", """
        {"consul": {"host": "10.1.1.1", "port": 8501},
         "clusterMembers": ["10.0.0.1:5701", "10.0.0.2"], "token": "s3cret", "drainTimeoutMs": 5000}""");
    BatonConfig c = resolve(ServiceKind.AGENT, file, Map.of());
    assertThat(c.consulHost()).isEqualTo("10.1.1.1");
    assertThat(c.consulPort()).isEqualTo(8501);
    assertThat(c.clusterMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2");
    assertThat(c.bearerToken()).contains("s3cret");
    assertThat(c.intSetting("BATON_DRAIN_TIMEOUT_MS", 10_000, 0, 600_000)).isEqualTo(5000);
  }

  @Test
  void unrelatedEnvIsIgnored() {
    BatonConfig c = resolve(ServiceKind.GATEWAY, null, Map.of("HTTP_PORT", "1", "PATH", "/bin"));
    assertThat(c.httpPort()).isEqualTo(8080);
  }

  @ParameterizedTest(name = "{0}={1} is rejected naming the key")
  @CsvSource(delimiter = '|', textBlock = """
      BATON_HTTP_PORT       | eighty
      BATON_HTTP_PORT       | 70000
      BATON_ADMIN_PORT      | -1
      BATON_CONSUL_PORT     | 85 00
      BATON_CLUSTER_PORT    | 1.5
      BATON_CLUSTER_MEMBERS | 10.0.0.1:notaport
      BATON_CLUSTER_MEMBERS | ' , '
      BATON_CLUSTER_NAME    | my cluster
      BATON_ID              | agent/1
      BATON_PORT_RANGE      | 21000
      BATON_PORT_RANGE      | 21000-20000
      BATON_REGISTRY_URL    | ftp://registry
      BATON_BIND            | 'not a host'
      BATON_TOKEN           | '   '
      """)
  void malformedEnvValueNamesTheKey(String key, String value) {
    assertThatThrownBy(() -> resolve(ServiceKind.AGENT, null, Map.of(key, value)))
        .isInstanceOf(ConfigException.class).hasMessageContaining(key);
  }

  @Test
  void malformedFileValueNamesKeyAndFile() {
    ConfigSource file = new ConfigSource("agent.yaml", "httpPort: lots\nportRange: 5\n");
    assertThatThrownBy(() -> resolve(ServiceKind.AGENT, file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "BATON_HTTP_PORT (httpPort in agent.yaml): 'lots' is not a port number (0-65535)",
            "BATON_PORT_RANGE (portRange in agent.yaml): '5' is not a port range like 20000-20999"));
  }

  @Test
  void envFixesAMalformedFileValue() {
    ConfigSource file = new ConfigSource("agent.yaml", "httpPort: lots\n");
    assertThat(resolve(ServiceKind.AGENT, file, Map.of("BATON_HTTP_PORT", "9000")).httpPort()).isEqualTo(9000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      broken yaml         | agent.yaml | 'httpPort: [1, 2'             | not valid YAML
      broken json         | agent.json | '{"httpPort": 1,'             | not valid JSON
      not a mapping       | agent.yaml | '- a'                         | must hold a mapping
      bad key             | agent.yaml | 'http-port: 1'                | is not a config key
      too deep            | agent.yaml | 'a: {b: {c: 1}}'              | nested too deeply
      """)
  void malformedFileIsReported(String why, String name, String content, String expected) {
    assertThatThrownBy(() -> resolve(ServiceKind.AGENT, new ConfigSource(name, content), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(expected).hasMessageContaining(name);
  }

  @Test
  void loadReadsTheFileNamedByBatonConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.yaml");
    Files.writeString(file, "adminPort: 9181\n");
    assertThat(ConfigLoader.load(ServiceKind.GATEWAY, Map.of("BATON_CONFIG", file.toString()), "h").adminPort())
        .isEqualTo(9181);
    assertThatThrownBy(() -> ConfigLoader.load(ServiceKind.GATEWAY,
        Map.of("BATON_CONFIG", dir.resolve("missing.yaml").toString()), "h"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_CONFIG").hasMessageContaining("missing.yaml");
  }

  @Test
  void keyNamesMapBothWays() {
    assertThat(ConfigLoader.fileKey("BATON_CLUSTER_MEMBERS")).isEqualTo("clusterMembers");
    assertThat(ConfigLoader.envKey("clusterMembers")).isEqualTo("BATON_CLUSTER_MEMBERS");
  }

  @Test
  void serviceSettingsAreValidated() {
    BatonConfig c = resolve(ServiceKind.GATEWAY, null, Map.of("BATON_MAX_BODY", "x", "BATON_VERSION_HEADER", "maybe"));
    assertThatThrownBy(() -> c.intSetting("BATON_MAX_BODY", 1, 0, 10)).hasMessageContaining("BATON_MAX_BODY");
    assertThatThrownBy(() -> c.boolSetting("BATON_VERSION_HEADER", true)).hasMessageContaining("BATON_VERSION_HEADER");
  }
}
