package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.ConsulSecurity;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.StackTokens;
import dev.baton.testsupport.TestFork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running test stack made by {@link StackBuilder}: Consul and baton services as real processes, in one
 * Hazelcast cluster with a random name where every member lists every other. Data dirs live in one temporary
 * directory ({@link #dir()}), so that app instances, whose command line names an artifact under an agent's data
 * dir, are found by that path as well as by the test watchdog's marker; logs go to
 * {@code target/stack-logs/<cluster name>/<service id>.log} ({@code <service id>-2.log} for its second run, ...).
 *
 * <p>{@link #close()} kills every process the stack started, by pid (services, everything they started,
 * instances), closes the Consul it started, keeps the instances' logs next to the services' and deletes the
 * directory. It is safe after a failed start and more than once.
 */
public final class Stack implements AutoCloseable {

  /**
   * Instance port ranges of agents: 200 ports each, in 20000-32599, spread at random across test JVMs, above the
   * ports {@link dev.baton.testsupport.FreePorts} hands out (10000-19999) and below Linux's ephemeral range
   * (32768-60999 by default), as the agent's own default (20000-20999) is: an instance
   * port inside it can be taken by any outgoing connection's local port, and the instance then fails to start
   * ("Address already in use"), which once aborted a whole release in ZeroDowntimeIT.
   */
  private static final int RANGE_SIZE = 200;
  private static final int RANGE_SLOTS = 63;
  private static final AtomicInteger NEXT_RANGE = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE_SLOTS));

  private final StackBuilder settings;
  private final String clusterName;
  private final StackDirectory files;
  private final List<Service> services = new ArrayList<>();
  private final List<String> members = new ArrayList<>();
  private ConsulProcess consul;
  private boolean ownsConsul;
  /** Every registry's URL, comma-separated, as agents get it in {@code BATON_REGISTRY_URL}; null without one. */
  private String registryUrls;
  private boolean closed;

  private Stack(StackBuilder settings) {
    this.settings = settings;
    this.clusterName = settings.name + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.files = StackDirectory.create(clusterName);
  }

  static Stack start(StackBuilder settings) {
    Stack stack = new Stack(settings);
    try {
      stack.consul = settings.consul;
      boolean needsConsul = settings.specs.stream().anyMatch(s -> s.host().consul().isEmpty());
      if (stack.consul == null && needsConsul && settings.consulEndpoint == null) {
        stack.consul = ConsulProcess.start(settings.consulStorage, settings.consulMode);
        stack.ownsConsul = true;
      }
      List<ServiceEnv.Ports> ports = new ArrayList<>();
      for (ServiceSpec spec : settings.specs) {
        ServiceEnv.Ports p = allocate(spec.kind());
        ports.add(p);
        stack.members.add(spec.host().address() + ":" + p.cluster());
        if (spec.kind() == ServiceKind.REGISTRY) {
          String url = "http://" + spec.host().address() + ":" + p.http();
          stack.registryUrls = stack.registryUrls == null ? url : stack.registryUrls + "," + url;
        }
      }
      for (int i = 0; i < settings.specs.size(); i++) {
        Service service = stack.make(settings.specs.get(i), ports.get(i));
        stack.services.add(service);
        if (!settings.later.contains(service.id())) {
          service.launch();
        }
      }
      for (Service service : stack.services) {
        if (!settings.later.contains(service.id())) {
          service.process().awaitLog(service.listening(), settings.startTimeout);
        }
      }
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  /** Starts one more service, which joins the cluster, and waits until it listens. */
  public Service add(ServiceSpec spec) {
    Service service = define(spec);
    service.start(settings.startTimeout);
    return service;
  }

  /**
   * One more service of the stack, not started: its ports, environment and data dir are fixed now, and it is a
   * member that services defined later list. Start it with {@link Service#start()}, or {@link Service#launch()}
   * when it is expected to refuse to start.
   */
  public synchronized Service define(ServiceSpec spec) {
    if (services.stream().anyMatch(s -> s.id().equals(spec.id()))) {
      throw new IllegalArgumentException("the stack already has a service named " + spec.id());
    }
    ServiceEnv.Ports ports = allocate(spec.kind());
    members.add(spec.host().address() + ":" + ports.cluster());
    Service service = make(spec, ports);
    services.add(service);
    return service;
  }

  private static ServiceEnv.Ports allocate(ServiceKind kind) {
    int[] p = FreePorts.find(kind == ServiceKind.GATEWAY ? 3 : 2);
    return new ServiceEnv.Ports(p[0], kind == ServiceKind.GATEWAY ? p[2] : -1, p[1]);
  }

  private Service make(ServiceSpec spec, ServiceEnv.Ports ports) {
    ConsulEndpoint endpoint = spec.host().consul().orElseGet(this::consulEndpoint);
    String portRange = null;
    if (spec.kind() == ServiceKind.AGENT) {
      int[] slots = TestFork.band(0, RANGE_SLOTS); // a fork's own slots when several test JVMs run at once
      int first = 20_000 + (slots[0] + Math.floorMod(NEXT_RANGE.getAndIncrement(), slots[1] - slots[0])) * RANGE_SIZE;
      portRange = first + "-" + (first + RANGE_SIZE - 1);
    }
    Map<String, String> env = ServiceEnv.of(new ServiceEnv.Inputs(spec, ports, clusterName, String.join(",", members),
        clusterSecurity(spec.id(), spec.host()), endpoint, files.dir().resolve(spec.id()), settings.tokens, registryUrls,
        portRange, settings.kindEnv.getOrDefault(spec.kind(), Map.of())));
    return new Service(spec, ports, env, files.dir(), files.logDir(), settings.tokens.operator());
  }

  private Map<String, String> clusterSecurity(String id, Host host) {
    return settings.clusterTls ? ClusterCerts.env(id, host.certificateHosts())
        : Map.of("BATON_CLUSTER_INSECURE", "true");
  }

  /** How services on hosts without their own Consul reach the stack's. */
  public ConsulEndpoint consulEndpoint() {
    if (settings.consulEndpoint != null) {
      return settings.consulEndpoint;
    }
    if (consul == null) {
      throw new IllegalStateException("stack " + clusterName + " has no Consul of its own: every host brings one");
    }
    return ConsulEndpoint.of(consul);
  }

  /** The Consul the stack started or was given; empty when every host brings its own. */
  public Optional<ConsulProcess> consul() {
    return Optional.ofNullable(consul);
  }

  /** A client of the stack's Consul HTTP API (with the management token when its ACLs are on). */
  public Http consulHttp() {
    Http http = new Http(consulEndpoint().httpAddress());
    String token = consul == null ? null : consul.security().managementToken();
    return token == null ? http : http.with(ConsulSecurity.TOKEN_HEADER, token);
  }

  /** How many passing instances of {@code service} the stack's Consul lists. */
  public int passing(String service) {
    return consulHttp().get("/v1/health/service/" + service + "?passing").ok("health of " + service).array().size();
  }

  public String clusterName() {
    return clusterName;
  }

  /** Every member's {@code host:port}, comma-separated, as the services are given it. */
  public synchronized String clusterMembers() {
    return String.join(",", members);
  }

  /** The operator and read tokens every service of this stack accepts. */
  public StackTokens tokens() {
    return settings.tokens;
  }

  /** The temporary directory holding every data dir (deleted by {@link #close()}). */
  public Path dir() {
    return files.dir();
  }

  /** Where the services' logs are, and the instances' after {@link #close()}. */
  public Path logDir() {
    return files.logDir();
  }

  public synchronized List<Service> services() {
    return List.copyOf(services);
  }

  public List<Service> registries() {
    return of(ServiceKind.REGISTRY);
  }

  public List<Service> agents() {
    return of(ServiceKind.AGENT);
  }

  public List<Service> gateways() {
    return of(ServiceKind.GATEWAY);
  }

  /** The first registry. */
  public Service registry() {
    return first(ServiceKind.REGISTRY);
  }

  /** The first gateway. */
  public Service gateway() {
    return first(ServiceKind.GATEWAY);
  }

  /** The first agent. */
  public Service agent() {
    return first(ServiceKind.AGENT);
  }

  public Service service(String id) {
    return services().stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + id + " in " + services()));
  }

  /**
   * The cluster keys for a member running in the test JVM (to read events or play a service): the stack's
   * cluster name, a free port of its own, every member plus itself, and a certificate named {@code id}. Services
   * defined after this call list it among their members.
   */
  public synchronized Map<String, String> memberEnv(String id) {
    int port = FreePorts.find();
    members.add(LocalHost.INSTANCE.address() + ":" + port);
    Map<String, String> env = new LinkedHashMap<>(clusterSecurity(id, LocalHost.INSTANCE));
    env.put("BATON_ID", id);
    env.put("BATON_CLUSTER_NAME", clusterName);
    env.put("BATON_CLUSTER_HOST", LocalHost.INSTANCE.address());
    env.put("BATON_CLUSTER_PORT", Integer.toString(port));
    env.put("BATON_CLUSTER_MEMBERS", clusterMembers());
    return env;
  }

  /** Waits until a registry holds the leader lock ({@code GET /v1/health} says {@code leader}) and returns it. */
  public Service awaitLeader(Duration timeout) {
    return Poll.value(timeout, () -> registries().stream().filter(Service::isAlive)
        .filter(r -> r.http().get("/v1/health").json().getBoolean("leader", false)).findFirst().orElse(null),
        "a registry of " + clusterName + " to hold the leader lock");
  }

  /** Every running process whose command line names the stack's directory (services and app instances). */
  public List<ProcessHandle> processes() {
    return files.processes();
  }

  /** What of the stack still runs: each live service as {@code id (pid n)}, then every process of {@link #processes()}. */
  public List<String> running() {
    List<String> out = new ArrayList<>();
    for (Service s : services()) {
      if (s.isAlive()) {
        out.add(s.id() + " (pid " + s.process().pid() + ")");
      }
    }
    processes().forEach(p -> out.add(p.info().commandLine().orElse("?") + " (pid " + p.pid() + ")"));
    return out;
  }

  /** Fails, naming each service that is no longer running with its exit code and log tail. */
  public void assertAlive() {
    StringBuilder dead = new StringBuilder();
    for (Service s : services()) {
      if (!s.isAlive()) {
        dead.append('\n').append(s.id()).append(" exited with ")
            .append(s.process().waitForExit(Duration.ofSeconds(1))).append("; log tail:\n")
            .append(s.process().logTail(15));
      }
    }
    if (dead.length() > 0) {
      throw new AssertionError("a service of stack " + clusterName + " is gone:" + dead);
    }
  }

  private List<Service> of(ServiceKind kind) {
    return services().stream().filter(s -> s.kind() == kind).toList();
  }

  private Service first(ServiceKind kind) {
    return of(kind).stream().findFirst()
        .orElseThrow(() -> new IllegalStateException("stack " + clusterName + " has no " + kind.key));
  }

  /** Kills every process of the stack, closes the Consul it started, deletes {@link #dir()}. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).close();
      }
      // Instances whose agent did not pass the watchdog's marker on are found by their command line.
      processes().forEach(ProcessHandle::destroyForcibly);
      Poll.until(Duration.ofSeconds(10), () -> processes().isEmpty(), "every process of stack " + clusterName
          + " to die");
    } finally {
      if (ownsConsul) {
        consul.close();
      }
      files.keepLogsAndDelete();
    }
  }

  @Override
  public String toString() {
    return "stack " + clusterName + " " + services();
  }
}
