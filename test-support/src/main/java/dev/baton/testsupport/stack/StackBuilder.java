package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.ConsulSecurity;
import dev.baton.testsupport.StackTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configures and starts a {@link Stack}:
 *
 * <pre>{@code
 * try (Stack stack = StackBuilder.create().registries(1).gateways(1).agents(2)
 *     .env(ServiceKind.REGISTRY, "BATON_TICK_MS", "100")
 *     .service(ServiceSpec.agent("agent-3").on(someHost).env("BATON_STOP_GRACE_MS", "1000"))
 *     .start()) {
 *   stack.registry().http().get("/v1/apps");
 * }
 * }</pre>
 *
 * <p>By default: services on {@link LocalHost}; a fresh {@code consul agent -dev} started for the services whose
 * host has no Consul of its own (closed with the stack); random tokens; cluster TLS with a member certificate per
 * service; a random cluster name. {@link #start()} returns once every service logged that it listens; when any
 * fails to, it closes what it started and throws.
 */
public final class StackBuilder {

  String name = "stack";
  ConsulProcess consul;
  boolean ownsConsul;
  ConsulProcess.Storage consulStorage = ConsulProcess.Storage.IN_MEMORY;
  ConsulSecurity.Mode consulMode = ConsulSecurity.Mode.NONE;
  ConsulEndpoint consulEndpoint;
  StackTokens tokens = StackTokens.random();
  boolean clusterTls = true;
  Host defaultHost = LocalHost.INSTANCE;
  Duration startTimeout = Duration.ofMinutes(2);
  final Map<ServiceKind, Map<String, String>> kindEnv = new EnumMap<>(ServiceKind.class);
  final List<ServiceSpec> specs = new ArrayList<>();

  private StackBuilder() {
  }

  public static StackBuilder create() {
    return new StackBuilder();
  }

  /** A prefix for the cluster name and the log directory ({@code target/stack-logs/<cluster name>/}). */
  public StackBuilder name(String prefix) {
    this.name = prefix;
    return this;
  }

  /** Use this running Consul (e.g. a {@code ConsulExtension}'s); the stack does not close it. */
  public StackBuilder consul(ConsulProcess running) {
    this.consul = running;
    return this;
  }

  /** Start a Consul of this storage and security for the stack (closed with it). */
  public StackBuilder consul(ConsulProcess.Storage storage, ConsulSecurity.Mode mode) {
    this.consulStorage = storage;
    this.consulMode = mode;
    return this;
  }

  /**
   * How services on hosts without their own Consul reach the stack's (default: its plain HTTP port, no token);
   * e.g. the HTTPS port with {@code BATON_CONSUL_CA} and a client certificate.
   */
  public StackBuilder consulEndpoint(ConsulEndpoint endpoint) {
    this.consulEndpoint = endpoint;
    return this;
  }

  public StackBuilder tokens(StackTokens tokens) {
    this.tokens = tokens;
    return this;
  }

  /**
   * {@code false} runs the bus without TLS ({@code BATON_CLUSTER_INSECURE=true}, loopback only): only to measure
   * what TLS costs. Default true, as production.
   */
  public StackBuilder clusterTls(boolean on) {
    this.clusterTls = on;
    return this;
  }

  /** The host of the services added by {@link #registries}, {@link #agents}, {@link #gateways}. */
  public StackBuilder host(Host host) {
    this.defaultHost = host;
    return this;
  }

  /** How long each service has to log that it listens (default two minutes). */
  public StackBuilder startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /** {@code key=value} for every service of {@code kind}, over the defaults (under a service's own env). */
  public StackBuilder env(ServiceKind kind, String key, String value) {
    kindEnv.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** These variables for every service of {@code kind}. */
  public StackBuilder env(ServiceKind kind, Map<String, String> variables) {
    kindEnv.computeIfAbsent(kind, k -> new LinkedHashMap<>()).putAll(variables);
    return this;
  }

  /** {@code count} more registries named {@code registry-<n>} on the default host. */
  public StackBuilder registries(int count) {
    return numbered(ServiceKind.REGISTRY, count);
  }

  /** {@code count} more agents named {@code agent-<n>} on the default host. */
  public StackBuilder agents(int count) {
    return numbered(ServiceKind.AGENT, count);
  }

  /** {@code count} more gateways named {@code gateway-<n>} on the default host. */
  public StackBuilder gateways(int count) {
    return numbered(ServiceKind.GATEWAY, count);
  }

  /** One more service. Ids must be unique in the stack. */
  public StackBuilder service(ServiceSpec spec) {
    if (specs.stream().anyMatch(s -> s.id().equals(spec.id()))) {
      throw new IllegalArgumentException("two services named " + spec.id());
    }
    specs.add(spec);
    return this;
  }

  /** Starts Consul if needed and every service, and waits until each listens. */
  public Stack start() {
    return Stack.start(this);
  }

  private StackBuilder numbered(ServiceKind kind, int count) {
    int n = (int) specs.stream().filter(s -> s.kind() == kind).count();
    for (int i = 1; i <= count; i++) {
      service(new ServiceSpec(kind, kind.key + "-" + (n + i), defaultHost, Map.of()));
    }
    return this;
  }
}
