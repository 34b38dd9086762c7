package dev.baton.testsupport.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.StackTokens;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceEnvTest {

  static final StackTokens TOKENS = new StackTokens("op", "rd");
  static final ConsulEndpoint STACK_CONSUL = new ConsulEndpoint("127.0.0.1", 18500, Map.of());
  static final Map<String, String> TLS = Map.of("BATON_CLUSTER_CA", "ca.pem", "BATON_CLUSTER_CERT", "c.pem",
      "BATON_CLUSTER_KEY", "k.pem");

  /** A fleet host: its own address, and its own Consul client agent on its loopback. */
  static final Host WORKER = new Host() {
    @Override
    public String name() {
      return "worker-1";
    }

    @Override
    public String address() {
      return "198.18.0.11";
    }

    @Override
    public List<String> command(List<String> command) {
      return command;
    }

    @Override
    public Optional<ConsulEndpoint> consul() {
      return Optional.of(new ConsulEndpoint("127.0.0.1", 8500, Map.of("BATON_CONSUL_TOKEN", "t")));
    }
  };

  static Map<String, String> env(ServiceSpec spec, Map<String, String> kindEnv, Map<String, String> security) {
    int admin = spec.kind() == ServiceKind.GATEWAY ? 3 : -1;
    return ServiceEnv.of(new ServiceEnv.Inputs(spec, new ServiceEnv.Ports(1, admin, 2), "c", "127.0.0.1:2",
        security, spec.host().consul().orElse(STACK_CONSUL), Path.of("/d", spec.id()), TOKENS,
        spec.kind() == ServiceKind.AGENT ? "http://127.0.0.1:9" : null,
        spec.kind() == ServiceKind.AGENT ? "30000-30199" : null, kindEnv));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a local registry: loopback, the stack's Consul, its tuning, no agent keys",
            env(ServiceSpec.registry("registry-1"), Map.of(), TLS),
            Map.of("BATON_ID", "registry-1", "BATON_BIND", "127.0.0.1", "BATON_CONSUL_PORT", "18500",
                "BATON_CLUSTER_CERT", "c.pem", "BATON_TICK_MS", "200", "BATON_DATA_DIR", "/d/registry-1",
                "BATON_TOKEN", "op", "BATON_READ_TOKEN", "rd"),
            List.of("BATON_PORT_RANGE", "BATON_REGISTRY_URL", "BATON_ADMIN_PORT", "BATON_CLUSTER_INSECURE")),
        Arguments.of("an agent on a fleet host: its address everywhere, its own Consul, the registry with the read token",
            env(ServiceSpec.agent("agent-1").on(WORKER), Map.of(), TLS),
            Map.ofEntries(Map.entry("BATON_BIND", "198.18.0.11"), Map.entry("BATON_ADVERTISE_HOST", "198.18.0.11"),
                Map.entry("BATON_CLUSTER_HOST", "198.18.0.11"), Map.entry("BATON_CONSUL_HOST", "127.0.0.1"),
                Map.entry("BATON_CONSUL_PORT", "8500"), Map.entry("BATON_CONSUL_TOKEN", "t"),
                Map.entry("BATON_PORT_RANGE", "30000-30199"), Map.entry("BATON_REGISTRY_URL", "http://127.0.0.1:9"),
                Map.entry("BATON_REGISTRY_TOKEN", "rd"),
                Map.entry("BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*,JAVA_TOOL_OPTIONS"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k")),
            List.of("BATON_ADMIN_PORT", "BATON_TICK_MS")),
        Arguments.of("a gateway: an admin port bound to its host's address",
            env(ServiceSpec.gateway("gateway-1").on(WORKER), Map.of(), TLS),
            Map.of("BATON_ADMIN_PORT", "3", "BATON_ADMIN_BIND", "198.18.0.11", "BATON_HTTP_PORT", "1",
                "BATON_TRAFFIC_INSTANCES", "1"),
            List.of("BATON_PORT_RANGE", "BATON_REGISTRY_TOKEN")),
        Arguments.of("the kind's env over the defaults, the service's over the kind's",
            env(ServiceSpec.agent("agent-2").env("BATON_STOP_GRACE_MS", "1"),
                Map.of("BATON_STOP_GRACE_MS", "2", "BATON_DRAIN_TIMEOUT_MS", "3"), TLS),
            Map.of("BATON_STOP_GRACE_MS", "1", "BATON_DRAIN_TIMEOUT_MS", "3", "BATON_HEALTH_TIMEOUT_MS", "30000"),
            List.of()),
        Arguments.of("a service's env may replace what the stack decided, e.g. its data dir",
            env(ServiceSpec.registry("registry-2").env("BATON_DATA_DIR", "/elsewhere"), Map.of(), TLS),
            Map.of("BATON_DATA_DIR", "/elsewhere"), List.of()),
        Arguments.of("without cluster TLS: the insecure switch and no certificate",
            env(ServiceSpec.registry("registry-3"), Map.of(), Map.of("BATON_CLUSTER_INSECURE", "true")),
            Map.of("BATON_CLUSTER_INSECURE", "true"), List.of("BATON_CLUSTER_CA", "BATON_CLUSTER_CERT")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void buildsTheEnvironmentInLayers(String situation, Map<String, String> env, Map<String, String> expected,
                                    List<String> absent) {
    assertThat(env).containsAllEntriesOf(expected);
    assertThat(env).doesNotContainKeys(absent.toArray(String[]::new));
  }
}
