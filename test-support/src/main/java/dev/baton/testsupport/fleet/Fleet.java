package dev.baton.testsupport.fleet;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.StackTokens;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A baton fleet on one machine (docs/ARCHITECTURE.md "Testing"): twelve hosts on one bridge — three Consul servers
 * ({@code consul-1..3}), two registries, two gateways, three workers each with a baton agent, and the HAProxy
 * front — plus the test JVM's own address on the bridge, the load host. Every baton host runs a Consul client
 * agent on {@code 127.0.0.1:8500}, which its services use as in production. The services are started by the
 * test-support {@link StackBuilder} on {@link NetnsHost}s: cluster TLS, the stack's tokens, their host's address.
 *
 * <p>{@link #close()} stops every process by pid and removes the namespaces and the bridge, whatever happened
 * before; Consul's and HAProxy's logs are copied to {@code target/fleet-logs/} first (the services' are in the
 * stack's log directory).
 */
public final class Fleet implements AutoCloseable {

  /**
   * Lighter JVMs for the services and, through the agents' allow-list, the instances: a dozen JVMs share the
   * machine's cores.
   */
  private static final Duration READY = Duration.ofSeconds(120);

  private final Path dir;
  private final FleetNetwork network;
  private final StackTokens tokens = StackTokens.random();
  private ConsulCluster consul;
  private Stack stack;
  private HaproxyFront front;

  private Fleet(Path dir, FleetNetwork network) {
    this.dir = dir;
    this.network = network;
  }

  /**
   * Why the fleet cannot run on this machine (not root, no {@code ip netns}, no HAProxy), or empty when it can.
   */
  public static Optional<String> unavailableBecause() {
    Optional<String> netns = Netns.unavailableBecause();
    if (netns.isPresent()) {
      return netns;
    }
    try {
      HaproxyFront.binary();
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Builds the network, starts Consul, the services and the front, and returns once a registry leads and Consul
   * lists every agent and gateway passing. {@code tune} adds env to every service of a kind (timings).
   */
  public static Fleet start(Map<ServiceKind, Map<String, String>> tune) {
    Path dir;
    try {
      dir = Files.createTempDirectory("baton-fleet-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Fleet fleet = new Fleet(dir, FleetNetwork.create());
    try {
      fleet.build(tune);
      return fleet;
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
  }

  private void build(Map<ServiceKind, Map<String, String>> tune) {
    List<NetnsHost> servers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      servers.add(network.addHost("consul-" + i));
    }
    StackBuilder builder = StackBuilder.create().name("fleet").tokens(tokens).startTimeout(READY);
    for (ServiceKind kind : ServiceKind.values()) {
      builder.env(kind, "JAVA_TOOL_OPTIONS", JavaJar.LIGHT_JVM_OPTIONS);
      builder.env(kind, tune.getOrDefault(kind, Map.of()));
    }
    // The watchdog finds instances by their marker; instances get the lighter JVM options too.
    builder.env(ServiceKind.AGENT, "BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*,JAVA_TOOL_OPTIONS");
    List<NetnsHost> baton = new ArrayList<>();
    List<ServiceSpec> later = new ArrayList<>();
    for (String name : List.of("registry-1", "registry-2", "gateway-1", "gateway-2", "worker-1", "worker-2",
        "worker-3")) {
      NetnsHost host = network.addHost(name);
      baton.add(host);
      ServiceSpec spec = spec(host);
      // The agents come last, given every registry (docs/agent.md, BATON_REGISTRY_URL); every registry and
      // gateway lists every registry's host as a cluster member, which a registry requires of a peer.
      if (spec.kind() == ServiceKind.AGENT) {
        later.add(spec);
      } else {
        builder.service(spec);
      }
    }
    NetnsHost frontHost = network.addHost("front");
    consul = ConsulCluster.start(dir.resolve("hosts"), servers);
    baton.forEach(consul::startClient);
    consul.startClient(frontHost);
    stack = builder.start();
    Poll.until(READY, () -> leader().isPresent(), "a registry to hold the leader lock");
    String registries = String.join(",", registries().stream().map(Service::url).toList());
    List<Service> agents = later.stream().map(a -> stack.define(a.env("BATON_REGISTRY_URL", registries))).toList();
    agents.forEach(Service::launch);
    agents.forEach(a -> Poll.until(READY, () -> Probe.get(a.url() + "/v1/health", null).isPresent(),
        a.id() + " to answer /v1/health"));
    front = HaproxyFront.start(frontHost, dir.resolve("hosts").resolve("front"), gateways());
    Poll.until(READY, () -> passing("baton-agent") == agents().size()
        && passing("baton-gateway") == gateways().size(), "every agent and gateway to pass in Consul");
  }

  /** The service of a baton host: {@code registry-N}, {@code gateway-N}, or {@code agent-N} on {@code worker-N}. */
  private static ServiceSpec spec(NetnsHost host) {
    String n = host.name().substring(host.name().indexOf('-') + 1);
    ServiceSpec spec = host.name().startsWith("registry-") ? ServiceSpec.registry(host.name())
        : host.name().startsWith("gateway-") ? ServiceSpec.gateway(host.name()) : ServiceSpec.agent("agent-" + n);
    return spec.on(host);
  }

  public FleetNetwork network() {
    return network;
  }

  public ConsulCluster consul() {
    return consul;
  }

  public HaproxyFront front() {
    return front;
  }

  public StackTokens tokens() {
    return tokens;
  }

  /** The services, as the stack builder started them. */
  public Stack stack() {
    return stack;
  }

  public List<Service> registries() {
    return stack.registries();
  }

  public List<Service> gateways() {
    return stack.gateways();
  }

  public List<Service> agents() {
    return stack.agents();
  }

  /** The baton services running on {@code host}. */
  public List<Service> servicesOn(NetnsHost host) {
    return stack.services().stream().filter(s -> s.host().name().equals(host.name())).toList();
  }

  public NetnsHost host(String name) {
    return network.host(name);
  }

  /** The host a service runs on. */
  public NetnsHost hostOf(Service service) {
    return network.host(service.host().name());
  }

  /** The registry that says it leads ({@code /v1/health}), if one does. */
  public Optional<Service> leader() {
    return registries().stream().filter(Service::isAlive)
        .filter(r -> Probe.get(r.url() + "/v1/health", null).map(JsonObject::new)
            .map(h -> h.getBoolean("leader", false)).orElse(false))
        .findFirst();
  }

  /** The leading registry's API, waiting up to a minute for one to lead. */
  public Http registry() {
    return Poll.value(Duration.ofSeconds(60), () -> leader().map(Service::http).orElse(null), "a registry to lead");
  }

  /** The JSON of {@code GET /v1/apps/{app}} from the leading registry. */
  public JsonObject app(String app) {
    return registry().get("/v1/apps/" + app).ok("GET app " + app).json();
  }

  /** How many passing instances of {@code service} Consul lists. */
  public int passing(String service) {
    return consul.any().get("/v1/health/service/" + service + "?passing").array().size();
  }

  /** A power cut on {@code host}: link down, every process in it SIGKILLed. */
  public void kill(NetnsHost host) {
    host.kill();
  }

  /**
   * Brings a killed host back as a reboot would: link up, its Consul agent, then its baton services with the same
   * configuration, ports and data; returns once they answer their health check.
   */
  public void restart(NetnsHost host) {
    host.linkUp();
    consul.restart(host);
    for (Service s : servicesOn(host)) {
      s.start(READY);
      Http health = s.kind() == ServiceKind.GATEWAY ? s.admin() : s.http();
      String path = s.kind() == ServiceKind.GATEWAY ? "/health" : "/v1/health";
      Poll.until(READY, () -> health.get(path).status() == 200, s.id() + " to answer " + path + " again");
    }
  }

  /** Kills every process, copies Consul's and HAProxy's logs to {@code target/fleet-logs/<dir>}, removes the network. */
  @Override
  public void close() {
    try {
      if (stack != null) {
        stack.close();
      }
    } catch (RuntimeException | AssertionError e) {
      System.err.println("fleet: closing the services: " + e.getMessage());
    }
    if (front != null) {
      front.close();
    }
    if (consul != null) {
      consul.close();
    }
    network.close();
    keepLogs();
    deleteTree(dir);
  }

  private void keepLogs() {
    Path into = Path.of("target", "fleet-logs", dir.getFileName().toString());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log") || p.endsWith("haproxy.cfg")).toList()) {
        Path target = into.resolve(dir.relativize(log));
        Files.createDirectories(target.getParent());
        Files.copy(log, target, StandardCopyOption.REPLACE_EXISTING);
      }
      System.err.println("fleet: logs kept in " + into.toAbsolutePath());
    } catch (IOException e) {
      System.err.println("fleet: cannot keep the logs of " + dir + ": " + e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("fleet: cannot delete " + root + ": " + e);
    }
  }

}
