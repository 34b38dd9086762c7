package dev.baton.registry.it;

import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
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
import java.util.regex.Pattern;

/**
 * A whole baton stack for integration tests, every service its own {@code java -jar} process the way
 * production runs them: {@code agents} agents, one gateway and one registry, all in one Hazelcast
 * cluster (random name, each member its own free cluster port, every member listed), against the
 * Consul at {@code consulPort}. Ports are free ports; data dirs are temporary. Every service runs with the
 * stack's {@link #tokens()}; agents download artifacts from the registry with its read token
 * ({@code BATON_REGISTRY_TOKEN}). {@link #close()} kills every process tree, including the app instances the
 * agents started.
 *
 * <p>Written to be copied or moved into test-support for the e2e module: it depends only on
 * test-support and the jars' fixed paths.
 */
public final class BatonStack implements AutoCloseable {

  /** One service process and how to reach it. */
  public record Service(String id, ManagedProcess process, int httpPort, int adminPort) {

    public String url() {
      return "http://127.0.0.1:" + httpPort;
    }

    public String adminUrl() {
      return "http://127.0.0.1:" + adminPort;
    }
  }

  private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:[0-9]+");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final int consulPort;
  private final String clusterName = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String members;
  private final int[] clusterPorts;
  private final Path dir;
  private final Map<String, String> registryEnv;
  private final Map<String, Map<String, String>> kindEnv;
  private final StackTokens tokens = StackTokens.random();
  private final int registryPort = FreePorts.find();
  /** The second registry's port, or 0 when the stack has one registry. */
  private final int standbyPort;
  private final List<Service> agents = new ArrayList<>();
  private final List<Map<String, String>> agentEnvs = new ArrayList<>();
  /** Agents killed alone, per agent index: closing them kills the app instances they left running. */
  private final Map<Integer, List<ManagedProcess>> retired = new java.util.HashMap<>();
  private Service gateway;
  private Service registry;
  private Service standby;

  private BatonStack(int consulPort, int agentCount, Map<String, String> registryEnv,
                     Map<String, Map<String, String>> kindEnv, boolean twoRegistries) {
    this.consulPort = consulPort;
    this.registryEnv = registryEnv;
    this.kindEnv = kindEnv;
    this.standbyPort = twoRegistries ? FreePorts.find() : 0;
    this.clusterPorts = FreePorts.find(agentCount + (twoRegistries ? 3 : 2));
    List<String> m = new ArrayList<>();
    for (int p : clusterPorts) {
      m.add("127.0.0.1:" + p);
    }
    this.members = String.join(",", m);
    try {
      this.dir = Files.createTempDirectory("baton-stack-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the stack and waits until every service logged that it listens. */
  public static BatonStack start(int consulPort, int agentCount, Map<String, String> registryEnv) {
    return start(consulPort, agentCount, registryEnv, Map.of());
  }

  /**
   * As {@link #start(int, int, Map)}, plus extra env per kind of service ({@code "agent"}, {@code "gateway"},
   * {@code "registry"}), applied last (e.g. each kind's Consul ACL token, or Consul's HTTPS port and CA).
   */
  public static BatonStack start(int consulPort, int agentCount, Map<String, String> registryEnv,
                                 Map<String, Map<String, String>> kindEnv) {
    return start(new BatonStack(consulPort, agentCount, registryEnv, kindEnv, false), agentCount);
  }

  /**
   * As {@link #start(int, int, Map)} with a second registry, {@code registry-2} ({@link #standby()}), started
   * once {@code registry-1} listens (so registry-1 leads); agents list both in {@code BATON_REGISTRY_URL}.
   */
  public static BatonStack startWithStandby(int consulPort, int agentCount, Map<String, String> registryEnv) {
    return start(new BatonStack(consulPort, agentCount, registryEnv, Map.of(), true), agentCount);
  }

  private static BatonStack start(BatonStack stack, int agentCount) {
    try {
      for (int i = 0; i < agentCount; i++) {
        stack.agents.add(stack.startAgent(i));
      }
      stack.gateway = stack.startGateway();
      stack.registry = stack.startRegistry();
      for (Service s : stack.all()) {
        s.process().awaitLog(LISTENING, START_TIMEOUT);
      }
      if (stack.standbyPort != 0) {
        stack.standby = stack.startRegistry("registry-2", stack.standbyPort, stack.clusterPorts[agentCount + 2]);
        stack.standby.process().awaitLog(LISTENING, START_TIMEOUT);
      }
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  public Service registry() {
    return registry;
  }

  /** The second registry, or null when the stack has one. */
  public Service standby() {
    return standby;
  }

  /** A service's data dir. */
  public Path dataDir(String id) {
    return dir.resolve(id);
  }

  /** Starts the second registry again with the same id, ports and data dir, and waits until it listens. */
  public Service restartStandby() {
    standby.process().close();
    standby = startRegistry("registry-2", standbyPort, clusterPorts[agents.size() + 2]);
    standby.process().awaitLog(LISTENING, START_TIMEOUT);
    return standby;
  }

  /** The operator and read tokens every service of this stack accepts. */
  public StackTokens tokens() {
    return tokens;
  }

  public Service gateway() {
    return gateway;
  }

  public List<Service> agents() {
    return List.copyOf(agents);
  }

  /** Kills the registry with SIGKILL: no cleanup, its Consul session and lock are left behind. */
  public void kill9Registry() {
    registry.process().kill9();
    registry.process().waitForExit(Duration.ofSeconds(10));
  }

  /** SIGTERM to the registry; returns its exit code (it finishes in-flight work first). */
  public int sigtermRegistry(Duration grace) {
    return registry.process().stop(grace);
  }

  /** Starts the registry again with the same id, ports and data dir, and waits until it listens. */
  public Service restartRegistry() {
    registry.process().close();
    registry = startRegistry(registry.httpPort());
    registry.process().awaitLog(LISTENING, START_TIMEOUT);
    return registry;
  }

  /**
   * SIGKILL to an agent and every app instance it runs, as when its host dies: those it started and those an
   * earlier run of it (killed alone) left behind.
   */
  public void kill9AgentAndInstances(int i) {
    agents.get(i).process().close();
    retired.getOrDefault(i, List.of()).forEach(ManagedProcess::close);
  }

  /** SIGKILL to an agent alone: its app instances keep running and serving, as when only the agent dies. */
  public void kill9Agent(int i) {
    ManagedProcess agent = agents.get(i).process();
    agent.kill9();
    agent.waitForExit(Duration.ofSeconds(10));
    retired.computeIfAbsent(i, k -> new ArrayList<>()).add(agent);
  }

  /** Starts agent {@code i} again with the same id, ports and data dir (it re-adopts instances still running). */
  public Service restartAgent(int i) {
    Service old = agents.get(i);
    Service again = new Service(old.id(), launch(old.id(), "agent/target/baton-agent.jar", agentEnvs.get(i)),
        old.httpPort(), 0);
    agents.set(i, again);
    again.process().awaitLog(LISTENING, START_TIMEOUT);
    return again;
  }

  private List<Service> all() {
    List<Service> out = new ArrayList<>(agents);
    out.add(gateway);
    out.add(registry);
    if (standby != null) {
      out.add(standby);
    }
    return out;
  }

  private Map<String, String> common(String id, int clusterPort, int httpPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_ID", id);
    env.put("BATON_HTTP_PORT", String.valueOf(httpPort));
    env.put("BATON_CONSUL_HOST", "127.0.0.1");
    env.put("BATON_CONSUL_PORT", String.valueOf(consulPort));
    env.put("BATON_CLUSTER_NAME", clusterName);
    env.put("BATON_CLUSTER_HOST", "127.0.0.1");
    env.put("BATON_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("BATON_CLUSTER_MEMBERS", members);
    env.putAll(ClusterCerts.env(id));
    env.put("BATON_DATA_DIR", dir.resolve(id).toString());
    env.putAll(tokens.env());
    return env;
  }

  private Service startAgent(int i) {
    String id = "agent-" + (i + 1);
    int port = FreePorts.find();
    int base = 30_000 + (int) (Math.random() * 300) * 100;
    Map<String, String> env = common(id, clusterPorts[i], port);
    env.put("BATON_PORT_RANGE", base + "-" + (base + 99));
    env.put("BATON_DRAIN_TIMEOUT_MS", "5000");
    env.put("BATON_DRAIN_PROPAGATION_MS", "500");
    env.put("BATON_STOP_GRACE_MS", "5000");
    env.put("BATON_HEALTH_TIMEOUT_MS", "30000");
    // The test watchdog finds app instances by its marker variable, which the agent passes on only when allowed.
    env.put("BATON_INSTANCE_ENV_ALLOW", "BATONTEST_MARK_*");
    env.putAll(kindEnv.getOrDefault("agent", Map.of()));
    env.put("BATON_REGISTRY_URL", "http://127.0.0.1:" + registryPort
        + (standbyPort == 0 ? "" : ",http://127.0.0.1:" + standbyPort));
    env.put("BATON_REGISTRY_TOKEN", tokens.read());
    agentEnvs.add(env);
    return new Service(id, launch(id, "agent/target/baton-agent.jar", env), port, 0);
  }

  private Service startGateway() {
    String id = "gateway-1";
    int[] ports = FreePorts.find(2);
    Map<String, String> env = common(id, clusterPorts[agents.size()], ports[0]);
    env.put("BATON_ADMIN_PORT", String.valueOf(ports[1]));
    env.put("BATON_TRAFFIC_INSTANCES", "1");
    env.putAll(kindEnv.getOrDefault("gateway", Map.of()));
    return new Service(id, launch(id, "gateway/target/baton-gateway.jar", env), ports[0], ports[1]);
  }

  private Service startRegistry() {
    return startRegistry(registryPort);
  }

  private Service startRegistry(int port) {
    return startRegistry("registry-1", port, clusterPorts[agents.size() + 1]);
  }

  private Service startRegistry(String id, int port, int clusterPort) {
    Map<String, String> env = common(id, clusterPort, port);
    env.put("BATON_TICK_MS", "200");
    env.put("BATON_ROUTE_ACK_TIMEOUT_MS", "5000");
    env.put("BATON_ROUTE_PROPAGATION_MS", "500");
    env.put("BATON_START_TIMEOUT_MS", "60000");
    env.put("BATON_PROGRESS_DEADLINE_SECONDS", "120");
    env.putAll(registryEnv);
    env.putAll(kindEnv.getOrDefault("registry", Map.of()));
    return new Service(id, launch(id, "registry/target/baton-registry.jar", env), port, 0);
  }

  private ManagedProcess launch(String name, String jar, Map<String, String> env) {
    return ManagedProcess.builder(JavaJar.command(Repo.path(jar)))
        .name(name).env(env).directory(dir)
        .logFile(Path.of("target", "process-logs", clusterName, name + "-" + System.nanoTime() + ".log").toAbsolutePath())
        .start();
  }

  /** Kills every process tree (agents take their app instances with them). */
  @Override
  public void close() {
    for (Service s : all()) {
      if (s != null) {
        s.process().close();
      }
    }
    retired.values().forEach(list -> list.forEach(ManagedProcess::close));
  }
}
