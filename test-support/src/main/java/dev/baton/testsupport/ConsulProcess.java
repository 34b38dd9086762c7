package dev.baton.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Consul agent for tests, on free ports of 127.0.0.1, started from {@link ConsulBinary}.
 *
 * <p>Guarantees: {@link #start()} returns only once the agent has a leader and lists itself in the
 * catalog (or fails with the tail of its log); {@link #stop()} makes the HTTP port refuse connections;
 * {@link #restart()} brings the agent back on the same ports, ready again. The agent runs under the
 * {@link ManagedProcess} watchdog, so it never outlives the test JVM. {@link Storage#IN_MEMORY}
 * ({@code consul agent -dev}) starts in well under a second but a restart comes back empty;
 * {@link Storage#ON_DISK} (a single bootstrapped server with a data dir) takes about 2 s to elect
 * itself but keeps KV, catalog and registered services across {@link #restart()}. A
 * {@link ConsulSecurity.Mode} other than {@code NONE} turns ACLs on (default deny) and optionally HTTPS.
 */
public final class ConsulProcess implements AutoCloseable {

  /** Where the agent keeps its state. */
  public enum Storage { IN_MEMORY, ON_DISK }

  /** The agent's ports, all on 127.0.0.1; {@code https} is -1 unless the security mode has HTTPS. */
  public record Ports(int http, int dns, int serfLan, int serfWan, int server, int grpc, int https) {
  }

  private static final String HOST = "127.0.0.1";
  private static final String DIR_PREFIX = "baton-consul-";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Storage storage;
  private final Path dir;
  private final Ports ports;
  private final String nodeName;
  private final ConsulSecurity security;
  private final JsonObject extra;
  private ManagedProcess process;

  private ConsulProcess(Storage storage, ConsulSecurity.Mode mode, Path dir, Ports ports, JsonObject extra) {
    this.extra = extra.copy();
    this.storage = storage;
    this.dir = dir;
    this.ports = ports;
    this.nodeName = "baton-test-" + ports.http();
    this.security = new ConsulSecurity(mode, dir);
  }

  /** Starts {@code consul agent -dev} (in-memory state) and waits until it is ready. */
  public static ConsulProcess start() {
    return start(Storage.IN_MEMORY);
  }

  /**
   * Starts an agent with the given storage and waits until it is ready. Retries on fresh ports when
   * another process took one of the chosen ports first.
   *
   * @throws IllegalStateException with the log tail when the agent does not become ready
   */
  public static ConsulProcess start(Storage storage) {
    return start(storage, ConsulSecurity.Mode.NONE);
  }

  /**
   * Starts an agent with the given storage and security (ACLs default deny, optionally HTTPS; see
   * {@link ConsulSecurity}) and waits until it is ready.
   */
  public static ConsulProcess start(Storage storage, ConsulSecurity.Mode mode) {
    return start(storage, mode, new JsonObject());
  }

  /**
   * As {@link #start(Storage, ConsulSecurity.Mode)}, with {@code extra} merged over the generated agent
   * configuration, e.g. {@code {"limits": {"http_max_conns_per_client": 4096}}} for a benchmark.
   */
  public static ConsulProcess start(Storage storage, ConsulSecurity.Mode mode, JsonObject extra) {
    Path binary = ConsulBinary.path();
    for (int attempt = 1; ; attempt++) {
      int[] p = FreePorts.find(7);
      int https = mode == ConsulSecurity.Mode.ACL_HTTPS ? p[6] : -1;
      ConsulProcess consul = new ConsulProcess(storage, mode, tempDir(),
          new Ports(p[0], p[1], p[2], p[3], p[4], p[5], https), extra);
      try {
        consul.security.prepare(binary);
        consul.launch(binary);
        Watchdog.closeOnExit(consul);
        return consul;
      } catch (RuntimeException e) {
        boolean clash = ManagedProcess.tail(consul.logFile(), 200).contains("address already in use");
        consul.close();
        if (!clash || attempt == START_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The address the agent listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** The HTTP API port. */
  public int httpPort() {
    return ports.http();
  }

  /** The HTTP API base URL, e.g. {@code http://127.0.0.1:23456}. */
  public String httpAddress() {
    return "http://" + HOST + ":" + ports.http();
  }

  /** The HTTPS API port; only in {@link ConsulSecurity.Mode#ACL_HTTPS}. */
  public int httpsPort() {
    if (!security.https()) {
      throw new IllegalStateException(this + " has no HTTPS port: start it with ConsulSecurity.Mode.ACL_HTTPS");
    }
    return ports.https();
  }

  /** ACL mode, token, CA and client certificate of this agent. */
  public ConsulSecurity security() {
    return security;
  }

  /**
   * A new ACL policy named {@code policyName} with {@code rules} (Consul HCL), and a token holding it.
   *
   * @return the token's secret
   */
  public String createToken(String policyName, String rules) {
    return security.createToken(httpAddress(), policyName, rules);
  }

  /** All the agent's ports. */
  public Ports ports() {
    return ports;
  }

  /** The agent's node name in the catalog. */
  public String nodeName() {
    return nodeName;
  }

  /** The agent's log (kept across restarts; deleted by {@link #close()}). */
  public Path logFile() {
    return dir.resolve("consul.log");
  }

  /** Whether the agent process is running. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The pid of the running agent. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("consul on port " + ports.http() + " is stopped");
    }
    return process.pid();
  }

  /** Stops the agent: SIGTERM, SIGKILL after 10 s. Its ports then refuse connections. Idempotent. */
  public synchronized void stop() {
    if (process != null) {
      process.stop(STOP_GRACE);
      process.close();
      process = null;
    }
  }

  /**
   * Stops the agent if running and starts it again on the same ports, waiting until it is ready.
   *
   * @throws IllegalStateException with the log tail when it does not come back (e.g. a port was taken)
   */
  public synchronized void restart() {
    stop();
    launch(ConsulBinary.path());
  }

  /** Stops the agent and deletes its directory (config, data, log). */
  @Override
  public synchronized void close() {
    Watchdog.forget(this);
    stop();
    try {
      deleteTree(dir);
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }

  @Override
  public String toString() {
    return "consul[" + httpAddress() + ", " + storage + ", " + security.mode() + "]";
  }

  private synchronized void launch(Path binary) {
    Path config = writeConfig();
    List<String> command = new ArrayList<>(List.of(binary.toString(), "agent"));
    if (storage == Storage.IN_MEMORY) {
      command.add("-dev");
    }
    command.addAll(List.of("-config-file=" + config, "-log-level=warn"));
    process = ManagedProcess.builder(command).name("consul-" + ports.http()).logFile(logFile()).start();
    ManagedProcess running = process;
    try {
      Poll.until(READY_TIMEOUT, () -> {
        if (!running.isAlive()) {
          throw new AssertionError("consul exited with code " + running.waitForExit(Duration.ofSeconds(5)));
        }
        return leaderElected() && nodeListed();
      }, this + " to elect a leader and list node " + nodeName);
    } catch (AssertionError e) {
      stop();
      throw new IllegalStateException("consul did not become ready on " + ports + ": " + e.getMessage()
          + "\n--- tail of " + logFile() + " ---\n" + ManagedProcess.tail(logFile(), 40), e);
    }
  }

  private boolean leaderElected() throws IOException, InterruptedException {
    String leader = get("/v1/status/leader").strip();
    return leader.length() > 2; // "" (two quotes) while there is none
  }

  private boolean nodeListed() throws IOException, InterruptedException {
    JsonArray nodes = new JsonArray(get("/v1/catalog/nodes"));
    return nodes.stream().anyMatch(n -> nodeName.equals(((JsonObject) n).getString("Node")));
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(httpAddress() + path))
        .timeout(Duration.ofSeconds(2)).GET();
    if (security.managementToken() != null) {
      builder.header(ConsulSecurity.TOKEN_HEADER, security.managementToken());
    }
    HttpRequest request = builder.build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " returned " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private Path writeConfig() {
    JsonObject portsJson = new JsonObject()
        .put("http", ports.http()).put("https", -1).put("dns", ports.dns())
        .put("serf_lan", ports.serfLan()).put("serf_wan", ports.serfWan())
        .put("server", ports.server()).put("grpc", ports.grpc());
    if (ConsulBinary.atLeast(1, 14)) {
      portsJson.put("grpc_tls", -1); // dev mode would otherwise take the fixed port 8503
    }
    JsonObject config = new JsonObject()
        .put("node_name", nodeName)
        .put("bind_addr", HOST).put("client_addr", HOST).put("advertise_addr", HOST)
        .put("disable_update_check", true)
        .put("ports", portsJson);
    security.configure(config, portsJson, ports.https());
    if (storage == Storage.ON_DISK) {
      config.put("server", true).put("bootstrap", true)
          .put("data_dir", dir.resolve("data").toString())
          .put("performance", new JsonObject().put("raft_multiplier", 1));
    }
    config.mergeIn(extra, true);
    Path file = dir.resolve("consul.json");
    try {
      Files.writeString(file, config.encodePrettily());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Path tempDir() {
    try {
      deleteDirsOfDeadJvms();
      return Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for consul", e);
    }
  }

  /** Directories left by test JVMs that were killed (named {@code baton-consul-<jvm pid>-*}). */
  private static synchronized void deleteDirsOfDeadJvms() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir : dirs.toList()) {
        String[] parts = dir.getFileName().toString().split("-");
        if (dir.getFileName().toString().startsWith(DIR_PREFIX) && parts.length == 4
            && parts[2].matches("\\d+") && !Processes.isRunning(Long.parseLong(parts[2]))) {
          try {
            deleteTree(dir);
          } catch (IOException e) {
            // another user's or half-deleted directory: not worth failing a test for
          }
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
