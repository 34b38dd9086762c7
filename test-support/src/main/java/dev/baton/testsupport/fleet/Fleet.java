package dev.baton.testsupport.fleet;

import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.StackTokens;
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
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A baton fleet on one machine (docs/ARCHITECTURE.md "Testing"): twelve hosts on one bridge — three Consul servers
 * ({@code consul-1..3}), two registries, two gateways, three workers each with a baton agent, and the HAProxy
 * front — plus the test JVM's own address on the bridge, the load host. Every baton host runs a Consul client
 * agent on {@code 127.0.0.1:8500}, which its services use as in production; the services run with cluster TLS
 * and the fleet's tokens, bind their host's address, and join one Hazelcast cluster listing every baton host.
 *
 * <p>{@link #close()} stops every process by pid and removes the namespaces and the bridge, whatever happened
 * before; the logs are copied to {@code target/fleet-logs/} first.
 */
public final class Fleet implements AutoCloseable {

  /** Ports of the services, the same on every host: each namespace has its own. */
  public static final int REGISTRY_PORT = 8090;
  public static final int AGENT_PORT = 8070;
  public static final int GATEWAY_PORT = 8080;
  public static final int GATEWAY_ADMIN_PORT = 8081;
  public static final int CLUSTER_PORT = 5701;

  private final Path dir;
  private final FleetNetwork network;
  private final StackTokens tokens = StackTokens.random();
  private final String clusterName = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<FleetService> registries = new ArrayList<>();
  private final List<FleetService> gateways = new ArrayList<>();
  private final List<FleetService> agents = new ArrayList<>();
  private ConsulCluster consul;
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
   * Builds the network, starts Consul, the services and the front, and returns once the registry leads and
   * Consul lists every agent and gateway passing. {@code tune} adds env to every service of a kind (timings).
   */
  public static Fleet start(Map<FleetService.Kind, Map<String, String>> tune) {
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

  private void build(Map<FleetService.Kind, Map<String, String>> tune) {
    List<NetnsHost> servers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      servers.add(network.addHost("consul-" + i));
    }
    List<NetnsHost> baton = new ArrayList<>();
    for (String name : List.of("registry-1", "registry-2", "gateway-1", "gateway-2", "worker-1", "worker-2",
        "worker-3")) {
      baton.add(network.addHost(name));
    }
    NetnsHost frontHost = network.addHost("front");
    consul = ConsulCluster.start(dir.resolve("hosts"), servers);
    baton.forEach(consul::startClient);
    FleetEnv env = new FleetEnv(dir, tokens, clusterName, baton, tune);
    for (NetnsHost h : baton) {
      FleetService s = env.service(h);
      switch (s.kind()) {
        case REGISTRY -> registries.add(s);
        case GATEWAY -> gateways.add(s);
        case AGENT -> agents.add(s);
      }
    }
    // registry-1 leads from the start (the standby joins once it does), so a run always begins the same way.
    List<FleetService> standbys = registries.subList(1, registries.size());
    List<FleetService> first = services().stream().filter(s -> !standbys.contains(s)).toList();
    first.forEach(FleetService::launch);
    first.forEach(FleetService::awaitListening);
    Poll.until(Duration.ofSeconds(90), () -> leader().filter(registries.get(0)::equals).isPresent(),
        registries.get(0) + " to hold the leader lock");
    standbys.forEach(FleetService::launch);
    standbys.forEach(FleetService::awaitListening);
    front = HaproxyFront.start(frontHost, dir.resolve("hosts").resolve("front"), gateways);
    Poll.until(Duration.ofSeconds(60), () -> passing("baton-agent") == agents.size()
        && passing("baton-gateway") == gateways.size(), "every agent and gateway to pass in Consul");
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

  public String clusterName() {
    return clusterName;
  }

  public List<FleetService> registries() {
    return List.copyOf(registries);
  }

  public List<FleetService> gateways() {
    return List.copyOf(gateways);
  }

  public List<FleetService> agents() {
    return List.copyOf(agents);
  }

  /** Every baton service: registries, gateways, agents. */
  public List<FleetService> services() {
    List<FleetService> all = new ArrayList<>(registries);
    all.addAll(gateways);
    all.addAll(agents);
    return all;
  }

  /** The baton services running on {@code host}. */
  public List<FleetService> servicesOn(NetnsHost host) {
    return services().stream().filter(s -> s.host().equals(host)).toList();
  }

  public NetnsHost host(String name) {
    return network.host(name);
  }

  /** The registry that says it leads ({@code /v1/health}), if one does. */
  public Optional<FleetService> leader() {
    for (FleetService r : registries) {
      try {
        if (r.isAlive() && r.http().get("/v1/health").json().getBoolean("leader", false)) {
          return Optional.of(r);
        }
      } catch (RuntimeException e) {
        // down or cut off
      }
    }
    return Optional.empty();
  }

  /** The leading registry's API, waiting up to a minute for one to lead. */
  public Http registry() {
    return Poll.value(Duration.ofSeconds(60), () -> leader().map(FleetService::http).orElse(null),
        "a registry to lead");
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
   * configuration and data; returns once they listen again.
   */
  public void restart(NetnsHost host) {
    host.linkUp();
    consul.restart(host);
    List<FleetService> on = servicesOn(host);
    on.forEach(FleetService::launch);
    on.forEach(FleetService::awaitListening);
  }

  /** Kills every process, copies the logs to {@code target/fleet-logs/<dir>}, removes the network. */
  @Override
  public void close() {
    for (FleetService s : services()) {
      try {
        s.close();
      } catch (RuntimeException | AssertionError e) {
        System.err.println("fleet: closing " + s + ": " + e.getMessage());
      }
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

  /** The JSON of {@code GET /v1/apps/{app}} from the leading registry. */
  public JsonObject app(String app) {
    return registry().get("/v1/apps/" + app).ok("GET app " + app).json();
  }
}
