package dev.baton.e2e.stack;

import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.StackTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The whole baton stack as production runs it, on this machine: a real {@code consul agent -dev}, then the
 * registry, the gateway and two agents, each its own {@code java -jar} process of the built jar, on free
 * ports, in one Hazelcast cluster with a random name and every member listed with its own port. Data dirs
 * live in one temporary directory, so every process of the stack (app instances included, whose command
 * line names an artifact under an agent's data dir) can be found by that path. Every service runs with the
 * stack's operator and read tokens; agents download artifacts with the registry's read token.
 *
 * <p>{@link #shutdown()} stops the stack the way an operator would and reports what is left;
 * {@link #close()} kills whatever is still running, whatever happened before.
 */
public final class Stack implements AutoCloseable {

  /**
   * One service process and its ports. Its API clients carry the stack's operator token, except the gateway's
   * traffic port ({@code httpToken} null), whose requests go to the apps.
   */
  public record Service(String id, ManagedProcess process, int httpPort, int adminPort, String httpToken,
                        String adminToken) {

    public Http http() {
      Http http = new Http("http://127.0.0.1:" + httpPort);
      return httpToken == null ? http : http.withToken(httpToken);
    }

    public Http admin() {
      return new Http("http://127.0.0.1:" + adminPort).withToken(adminToken);
    }
  }

  /**
   * The event bus runs mutual TLS as in production; {@code -Dbaton.e2e.clusterTls=false} runs the same stack on
   * a plain loopback bus, only to measure what TLS costs (README, "Zero downtime, measured").
   */
  static final boolean CLUSTER_TLS = !"false".equals(System.getProperty("baton.e2e.clusterTls"));

  private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:[0-9]+");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ConsulProcess consul;
  private final Path dir;
  private final String clusterName = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final int[] clusterPorts = FreePorts.find(4);
  private final String members;
  private final StackTokens tokens = StackTokens.random();
  private final List<Service> agents = new ArrayList<>();
  private Service registry;
  private Service gateway;

  private Stack(ConsulProcess consul, Path dir) {
    this.consul = consul;
    this.dir = dir;
    List<String> m = new ArrayList<>();
    for (int p : clusterPorts) {
      m.add("127.0.0.1:" + p);
    }
    this.members = String.join(",", m);
  }

  /** Starts Consul and every service, and returns once the registry leads and Consul lists the fleet. */
  public static Stack start() {
    ConsulProcess consul = ConsulProcess.start();
    Stack stack;
    try {
      stack = new Stack(consul, Files.createTempDirectory("baton-e2e-"));
    } catch (IOException e) {
      consul.close();
      throw new UncheckedIOException(e);
    }
    try {
      stack.launchAll();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void launchAll() {
    registry = launch("registry-1", "registry/target/baton-registry.jar", 0, env -> {
      env.put("BATON_TICK_MS", "200");
      env.put("BATON_ROUTE_ACK_TIMEOUT_MS", "5000");
      env.put("BATON_ROUTE_PROPAGATION_MS", "500");
      env.put("BATON_START_TIMEOUT_MS", "90000");
      env.put("BATON_PROGRESS_DEADLINE_SECONDS", "180");
      env.put("BATON_SHUTDOWN_GRACE_MS", "10000");
    });
    gateway = launch("gateway-1", "gateway/target/baton-gateway.jar", 1, env -> {
      env.put("BATON_TRAFFIC_INSTANCES", "1");
    });
    // 200 ports per agent: the agent reserves up to 64 candidates per claim while it probes them, so
    // concurrent starts on one agent need a range well beyond that.
    int base = 21_000 + ThreadLocalRandom.current().nextInt(20) * 400;
    for (int i = 0; i < 2; i++) {
      int first = base + i * 200;
      agents.add(launch("agent-" + (i + 1), "agent/target/baton-agent.jar", 2 + i, env -> {
        env.put("BATON_PORT_RANGE", first + "-" + (first + 199));
        env.put("BATON_REGISTRY_URL", registry.http().base());
        env.put("BATON_REGISTRY_TOKEN", tokens.read());
        env.put("BATON_DRAIN_TIMEOUT_MS", "15000");
        env.put("BATON_DRAIN_PROPAGATION_MS", "500");
        env.put("BATON_STOP_GRACE_MS", "10000");
        env.put("BATON_HEALTH_TIMEOUT_MS", "60000");
        // The test watchdog finds app instances by its marker variable, which the agent passes on only when allowed.
        env.put("BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*");
      }));
    }
    for (Service s : all()) {
      s.process().awaitLog(LISTENING, START_TIMEOUT);
    }
    Poll.until(Duration.ofSeconds(60), () -> registry.http().get("/v1/health").json().getBoolean("leader", false),
        "registry-1 to hold the leader lock");
    Poll.until(Duration.ofSeconds(30), () -> passing("baton-agent") == 2 && passing("baton-gateway") == 1,
        "both agents and the gateway to pass in Consul");
  }

  private interface EnvCustomizer {
    void accept(Map<String, String> env);
  }

  private Service launch(String id, String jar, int clusterIndex, EnvCustomizer customize) {
    int[] ports = FreePorts.find(2);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_ID", id);
    env.put("BATON_HTTP_PORT", String.valueOf(ports[0]));
    env.put("BATON_ADMIN_PORT", String.valueOf(ports[1]));
    env.put("BATON_CONSUL_PORT", String.valueOf(consul.httpPort()));
    env.put("BATON_CLUSTER_NAME", clusterName);
    env.put("BATON_CLUSTER_PORT", String.valueOf(clusterPorts[clusterIndex]));
    env.put("BATON_CLUSTER_MEMBERS", members);
    if (CLUSTER_TLS) {
      env.putAll(ClusterCerts.env(id));
    } else {
      env.put("BATON_CLUSTER_INSECURE", "true"); // only to measure what TLS costs (-Dbaton.e2e.clusterTls=false)
    }
    env.put("BATON_DATA_DIR", dir.resolve(id).toString());
    env.putAll(tokens.env());
    customize.accept(env);
    ManagedProcess p = ManagedProcess.builder(JavaJar.command(Repo.path(jar), new String[0]))
        .name(id).env(env).directory(dir).logFile(dir.resolve(id + ".log")).start();
    boolean trafficPort = jar.contains("gateway");
    return new Service(id, p, ports[0], ports[1], trafficPort ? null : tokens.operator(), tokens.operator());
  }

  public Service registry() {
    return registry;
  }

  /** The Hazelcast cluster name of this stack (random per stack). */
  public String clusterName() {
    return clusterName;
  }

  /** Every member's {@code host:port}, comma-separated, as the services are given it. */
  public String clusterMembers() {
    return members;
  }

  public Service gateway() {
    return gateway;
  }

  public List<Service> agents() {
    return List.copyOf(agents);
  }

  /** The operator and read tokens every service of this stack accepts. */
  public StackTokens tokens() {
    return tokens;
  }

  public Http consul() {
    return new Http(consul.httpAddress());
  }

  /** The temporary directory holding every data dir and log of the stack. */
  public Path dir() {
    return dir;
  }

  /** How many passing instances of {@code service} Consul lists. */
  public int passing(String service) {
    return consul().get("/v1/health/service/" + service + "?passing").array().size();
  }

  /** Every running process whose command line names this stack's directory (services and app instances). */
  public List<ProcessHandle> processes() {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(ProcessHandle::isAlive).toList();
  }

  /**
   * Fails, naming each service that is no longer running with its exit code and the tail of its log: a
   * scenario whose stack lost a member proves nothing about releases.
   */
  public void assertAlive() {
    StringBuilder dead = new StringBuilder();
    for (Service s : all()) {
      if (s != null && !s.process().isAlive()) {
        dead.append("\n").append(s.id()).append(" exited with ").append(s.process().waitForExit(Duration.ofSeconds(1)))
            .append("; log tail:\n").append(s.process().logTail(15));
      }
    }
    if (dead.length() > 0) {
      throw new AssertionError("a service of the stack is gone:" + dead);
    }
  }

  /** Every running process of the stack: the services plus the app instances found by {@link #processes()}. */
  public List<String> running() {
    List<String> out = new ArrayList<>();
    for (Service s : all()) {
      if (s != null && s.process().isAlive()) {
        out.add(s.id() + " (pid " + s.process().pid() + ")");
      }
    }
    processes().forEach(p -> out.add(p.info().commandLine().orElse("?") + " (pid " + p.pid() + ")"));
    return out;
  }

  /**
   * Stops the stack the way an operator does: the registry first (no release may start anything), then
   * every app instance through its agent (deregistered, drained through the gateway, SIGTERM), then the
   * gateway and the agents with SIGTERM. Returns the Consul services still registered afterwards (Consul
   * itself excluded); Consul keeps running until {@link #close()}.
   */
  public List<String> shutdown() {
    registry.process().stop(Duration.ofSeconds(30));
    for (Service agent : agents) {
      for (Object o : agent.http().get("/v1/instances").array()) {
        io.vertx.core.json.JsonObject i = (io.vertx.core.json.JsonObject) o;
        if (List.of("STARTING", "HEALTHY", "DRAINING").contains(i.getString("state"))) {
          agent.http().delete("/v1/instances/" + i.getString("id") + "?wait=stopped").ok("stop " + i.getString("id"));
        }
      }
    }
    gateway.process().stop(Duration.ofSeconds(30));
    agents.forEach(a -> a.process().stop(Duration.ofSeconds(30)));
    List<String> left = new ArrayList<>();
    try {
      Poll.until(Duration.ofSeconds(15), () -> registered().isEmpty(), "Consul to list no service but itself");
    } catch (AssertionError e) {
      left.addAll(registered());
    }
    return left;
  }

  private List<String> registered() {
    List<String> names = new ArrayList<>(consul().get("/v1/catalog/services").json().fieldNames());
    names.remove("consul");
    return names;
  }

  private List<Service> all() {
    List<Service> out = new ArrayList<>(agents);
    out.add(gateway);
    out.add(registry);
    return out;
  }

  /** Kills every process of the stack (app instances included), stops Consul, deletes the directory. */
  @Override
  public void close() {
    for (Service s : all()) {
      if (s != null) {
        s.process().close();
      }
    }
    // App instances lead their own session (the agent starts them with setsid): found by their command line.
    processes().forEach(ProcessHandle::destroyForcibly);
    Poll.until(Duration.ofSeconds(10), () -> processes().isEmpty(), "every process of the stack to die");
    keepLogs();
    consul.close();
    deleteTree(dir);
  }

  /** Copies every service and instance log to {@code target/e2e-logs/<dir name>/} for the post-mortem. */
  private void keepLogs() {
    Path into = Path.of("target", "e2e-logs", dir.getFileName().toString());
    try (var files = Files.walk(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        Path target = into.resolve(dir.relativize(log));
        Files.createDirectories(target.getParent());
        Files.copy(log, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Files.copy(consul.logFile(), into.resolve("consul.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("cannot keep the logs of " + dir + ": " + e);
    }
  }

  private static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + root + ": " + e);
    }
  }
}
