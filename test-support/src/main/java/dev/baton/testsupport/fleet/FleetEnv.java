package dev.baton.testsupport.fleet;

import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.StackTokens;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment of each baton service of the fleet, as an operator would write it for a host (docs/
 * ARCHITECTURE.md "Configuration"): bind and advertise the host's address, Consul at its defaults (the host's own
 * client agent on 127.0.0.1:8500), Hazelcast on port {@value Fleet#CLUSTER_PORT} of every baton host, cluster TLS
 * and the fleet's tokens. The service kind follows the host's name ({@code registry-*}, {@code gateway-*}, else an
 * agent); {@code tune} adds the scenarios' timings per kind.
 */
final class FleetEnv {

  /** Lighter JVMs: a dozen of them share the machine's cores with the instances. */
  static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  private final Path dir;
  private final StackTokens tokens;
  private final String clusterName;
  private final String members;
  private final String registryUrl;
  private final Map<FleetService.Kind, Map<String, String>> tune;

  FleetEnv(Path dir, StackTokens tokens, String clusterName, List<NetnsHost> baton,
           Map<FleetService.Kind, Map<String, String>> tune) {
    this.dir = dir;
    this.tokens = tokens;
    this.clusterName = clusterName;
    this.members = baton.stream().map(h -> h.address() + ":" + Fleet.CLUSTER_PORT).collect(Collectors.joining(","));
    this.registryUrl = baton.stream().filter(h -> h.name().startsWith("registry-")).findFirst()
        .map(h -> "http://" + h.address() + ":" + Fleet.REGISTRY_PORT).orElseThrow();
    this.tune = tune;
  }

  static FleetService.Kind kindOf(NetnsHost host) {
    if (host.name().startsWith("registry-")) {
      return FleetService.Kind.REGISTRY;
    }
    return host.name().startsWith("gateway-") ? FleetService.Kind.GATEWAY : FleetService.Kind.AGENT;
  }

  FleetService service(NetnsHost host) {
    FleetService.Kind kind = kindOf(host);
    String id = switch (kind) {
      case REGISTRY, GATEWAY -> host.name();
      case AGENT -> "agent-" + host.name().substring(host.name().indexOf('-') + 1);
    };
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
    env.put("BATON_ID", id);
    env.put("BATON_BIND", host.address());
    env.put("BATON_ADVERTISE_HOST", host.address());
    env.put("BATON_CLUSTER_HOST", host.address());
    env.put("BATON_CLUSTER_PORT", String.valueOf(Fleet.CLUSTER_PORT));
    env.put("BATON_CLUSTER_MEMBERS", members);
    env.put("BATON_CLUSTER_NAME", clusterName);
    env.putAll(ClusterCerts.env(id));
    env.putAll(tokens.env());
    env.put("BATON_DATA_DIR", dir.resolve("hosts").resolve(host.name()).resolve(id).toString());
    int http;
    int admin = 0;
    switch (kind) {
      case REGISTRY -> {
        http = Fleet.REGISTRY_PORT;
      }
      case GATEWAY -> {
        http = Fleet.GATEWAY_PORT;
        admin = Fleet.GATEWAY_ADMIN_PORT;
        env.put("BATON_ADMIN_PORT", String.valueOf(admin));
        env.put("BATON_ADMIN_BIND", host.address()); // the front's health check comes from its own host
      }
      default -> {
        http = Fleet.AGENT_PORT;
        env.put("BATON_PORT_RANGE", "20000-20199");
        env.put("BATON_REGISTRY_URL", registryUrl);
        env.put("BATON_REGISTRY_TOKEN", tokens.read());
        // The watchdog finds instances by their marker; instances get the lighter JVM options too.
        env.put("BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*,JAVA_TOOL_OPTIONS");
      }
    }
    env.put("BATON_HTTP_PORT", String.valueOf(http));
    env.putAll(tune.getOrDefault(kind, Map.of()));
    Path log = dir.resolve("hosts").resolve(host.name()).resolve(id + ".log");
    return new FleetService(id, kind, host, http, admin, tokens.operator(), env, log);
  }
}
