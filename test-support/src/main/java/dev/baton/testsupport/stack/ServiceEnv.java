package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.StackTokens;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of one service of a test stack, a pure function of what the builder decided. Layers, each over
 * the one before:
 * <ol>
 *   <li>identity and network: {@code BATON_ID}, ports, and the host's address as {@code BATON_BIND},
 *       {@code BATON_ADVERTISE_HOST}, {@code BATON_CLUSTER_HOST} (and the gateway's {@code BATON_ADMIN_BIND});</li>
 *   <li>Consul: the host's own agent, else the stack's ({@link ConsulEndpoint#env()});</li>
 *   <li>the cluster: name, port, every member, and the member certificate ({@code BATON_CLUSTER_CA/CERT/KEY}) or,
 *       only when the stack is built without cluster TLS, {@code BATON_CLUSTER_INSECURE=true};</li>
 *   <li>{@code BATON_DATA_DIR} and the stack's tokens ({@code BATON_TOKEN}, {@code BATON_READ_TOKEN});</li>
 *   <li>the kind's test tuning ({@link #DEFAULTS}); agents also get their instance port range and every
 *       registry's URL with the read token ({@code BATON_REGISTRY_URL}, {@code BATON_REGISTRY_TOKEN});</li>
 *   <li>the builder's env for the kind, then the service's own env.</li>
 * </ol>
 */
public final class ServiceEnv {

  /**
   * Short ticks and timeouts so releases take seconds, and the test watchdog's marker passed on to app
   * instances so that they die with the test JVM (docs/agent.md, {@code BATON_INSTANCE_ENV_ALLOW}), with the
   * light JVM options of {@link JavaJar#LIGHT_JVM_OPTIONS} (the services get them on their command line).
   */
  public static final Map<ServiceKind, Map<String, String>> DEFAULTS = Map.of(
      ServiceKind.REGISTRY, ordered("BATON_TICK_MS", "200", "BATON_ROUTE_ACK_TIMEOUT_MS", "5000",
          "BATON_ROUTE_PROPAGATION_MS", "500", "BATON_START_TIMEOUT_MS", "60000",
          "BATON_PROGRESS_DEADLINE_SECONDS", "120"),
      ServiceKind.AGENT, ordered("BATON_DRAIN_TIMEOUT_MS", "5000", "BATON_DRAIN_PROPAGATION_MS", "500",
          "BATON_STOP_GRACE_MS", "5000", "BATON_HEALTH_TIMEOUT_MS", "30000",
          "BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*,JAVA_TOOL_OPTIONS",
          "JAVA_TOOL_OPTIONS", JavaJar.LIGHT_JVM_OPTIONS),
      ServiceKind.GATEWAY, ordered("BATON_TRAFFIC_INSTANCES", "1"));

  /** A service's ports; {@code admin} is -1 for services without an admin port (all but gateways). */
  public record Ports(int http, int admin, int cluster) {
  }

  /**
   * Everything the environment depends on. {@code clusterSecurity} is the member certificate's keys or
   * {@code BATON_CLUSTER_INSECURE}; {@code registryUrls} (every registry of the stack, comma-separated) and
   * {@code portRange} are for agents (null otherwise).
   */
  public record Inputs(ServiceSpec spec, Ports ports, String clusterName, String members,
                       Map<String, String> clusterSecurity, ConsulEndpoint consul, Path dataDir, StackTokens tokens,
                       String registryUrls, String portRange, Map<String, String> kindEnv) {
  }

  private ServiceEnv() {
  }

  public static Map<String, String> of(Inputs in) {
    ServiceSpec spec = in.spec();
    String address = spec.host().address();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_ID", spec.id());
    env.put("BATON_HTTP_PORT", Integer.toString(in.ports().http()));
    if (in.ports().admin() > 0) {
      env.put("BATON_ADMIN_PORT", Integer.toString(in.ports().admin()));
    }
    env.put("BATON_BIND", address);
    if (spec.kind() == ServiceKind.GATEWAY) {
      env.put("BATON_ADMIN_BIND", address);
    }
    env.put("BATON_ADVERTISE_HOST", address);
    env.putAll(in.consul().env());
    env.put("BATON_CLUSTER_NAME", in.clusterName());
    env.put("BATON_CLUSTER_HOST", address);
    env.put("BATON_CLUSTER_PORT", Integer.toString(in.ports().cluster()));
    env.put("BATON_CLUSTER_MEMBERS", in.members());
    env.putAll(in.clusterSecurity());
    env.put("BATON_DATA_DIR", in.dataDir().toString());
    env.putAll(in.tokens().env());
    env.putAll(DEFAULTS.get(spec.kind()));
    if (spec.kind() == ServiceKind.AGENT) {
      env.put("BATON_PORT_RANGE", in.portRange());
      if (in.registryUrls() != null) {
        env.put("BATON_REGISTRY_URL", in.registryUrls());
        env.put("BATON_REGISTRY_TOKEN", in.tokens().read());
      }
    }
    env.putAll(in.kindEnv());
    env.putAll(spec.env());
    return env;
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
