package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.StackTokens;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real agent for integration tests: the shaded jar as its own process, started by the test-support stack
 * builder against a real Consul, a static HTTP server standing in for the registry's artifact endpoint, and this
 * JVM joined to the same cluster to read {@code baton.events} (and to play a gateway). Every process it started
 * is killed by pid in {@link #close()}.
 */
final class AgentFixture implements AutoCloseable {

  static final String TOKEN = "it-token-" + UUID.randomUUID();
  static final String READ_TOKEN = "it-read-" + UUID.randomUUID();
  /** What the stand-in registry under {@link #registryUrl()} demands of downloads. */
  static final String REGISTRY_TOKEN = "it-registry-read-" + UUID.randomUUID();
  static final Duration START = Duration.ofSeconds(90);
  static final Duration WAIT = Duration.ofSeconds(30);

  final ConsulExtension consul;
  final String agentId = "it-agent-" + UUID.randomUUID().toString().substring(0, 8);
  /** The agent's own env, over the stack's; a test may add to it before the first {@link #startAgent()}. */
  final Map<String, String> env = new LinkedHashMap<>();
  final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  /** Every artifact request as {@code "<path> <Authorization header or ->"}. */
  final List<String> artifactRequests = new CopyOnWriteArrayList<>();
  /** More artifacts the stand-in serves, under {@code /extra/<name>} (e.g. a corrupt jar). */
  final Map<String, byte[]> extraArtifacts = new java.util.concurrent.ConcurrentHashMap<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Stack stack;
  final Vertx vertx;
  private final HttpServer artifacts;
  private Service service;
  ManagedProcess agent;

  AgentFixture(ConsulExtension consul, Map<String, String> extraEnv) throws Exception {
    this.consul = consul;
    this.stack = StackBuilder.create().name("agent-it").consul(consul.process())
        .tokens(new StackTokens(TOKEN, READ_TOKEN)).start();
    env.put("BATON_DRAIN_TIMEOUT_MS", "15000");
    env.put("BATON_DRAIN_PROPAGATION_MS", "300");
    env.put("BATON_STOP_GRACE_MS", "10000");
    env.put("BATON_HEALTH_TIMEOUT_MS", "30000");
    env.put("BATON_RESTART_BACKOFF_MS", "500");
    env.putAll(extraEnv);

    // Joined before the agent is defined, so that the agent lists this JVM among its members.
    BatonConfig testMember = ConfigLoader.resolve(ServiceKind.GATEWAY, null, stack.memberEnv("it-test"), "it");
    this.vertx = await(ClusteredVertxFactory.create(testMember));
    await(vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(BatonEvent.fromJson(m.body())))
        .completion());
    Path jars = Repo.path("sample-app/target");
    // Serves the sample-app jars; under /registry/ it stands for the registry and wants REGISTRY_TOKEN.
    this.artifacts = await(vertx.createHttpServer().requestHandler(req -> {
      String auth = req.getHeader("Authorization");
      artifactRequests.add(req.path() + " " + (auth == null ? "-" : auth));
      boolean registry = req.path().startsWith("/registry/");
      String name = registry ? req.path().substring("/registry".length()) : req.path();
      Path file = jars.resolve(name.substring(1));
      byte[] extra = req.path().startsWith("/extra/") ? extraArtifacts.get(req.path().substring(7)) : null;
      if (extra != null) {
        req.response().end(io.vertx.core.buffer.Buffer.buffer(extra));
      } else if (registry && !("Bearer " + REGISTRY_TOKEN).equals(auth)) {
        req.response().setStatusCode(401).end();
      } else if (name.matches("/sample-app-[0-9.]+\\.jar") && Files.isRegularFile(file)) {
        req.response().sendFile(file.toString());
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Starts the agent process (another one after a kill reuses the same id, ports and data dir); the first call
   * fixes the agent's environment from {@link #env}.
   */
  ManagedProcess startAgent() {
    service().start(START);
    agent = service.process();
    return agent;
  }

  /** The agent, defined with {@link #env} on first use. */
  synchronized Service service() {
    if (service == null) {
      service = stack.define(ServiceSpec.agent(agentId).env(env));
    }
    return service;
  }

  Path dataDir() {
    return service().dataDir();
  }

  int httpPort() {
    return service().httpPort();
  }

  /** The first port of the agent's instance port range. */
  int rangeFirst() {
    return Integer.parseInt(service().env().get("BATON_PORT_RANGE").split("-")[0]);
  }

  /** The last port of the agent's instance port range. */
  int rangeLast() {
    return Integer.parseInt(service().env().get("BATON_PORT_RANGE").split("-")[1]);
  }

  // ---- artifacts and requests ------------------------------------------------------------------------

  /** The URL of {@code bytes} served as an artifact, and its sha256 (they are what the start asks for). */
  JsonObject extraArtifact(String name, byte[] bytes) throws Exception {
    extraArtifacts.put(name, bytes);
    return new JsonObject().put("url", "http://127.0.0.1:" + artifacts.actualPort() + "/extra/" + name)
        .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  String artifactUrl(String version) {
    return "http://127.0.0.1:" + artifacts.actualPort() + "/sample-app-" + version + ".jar";
  }

  /** The stand-in registry's base URL, for {@code BATON_REGISTRY_URL}: downloads under it need REGISTRY_TOKEN. */
  String registryUrl() {
    return "http://127.0.0.1:" + artifacts.actualPort() + "/registry";
  }

  static String sha256(String version) throws Exception {
    byte[] bytes = Files.readAllBytes(Repo.path("sample-app/target/sample-app-" + version + ".jar"));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** A valid start request for the sample app; instances run with a small heap to keep the test host light. */
  JsonObject startRequest(String app, String version) throws Exception {
    return new JsonObject().put("app", app).put("version", version)
        .put("artifact", new JsonObject().put("url", artifactUrl(version)).put("sha256", sha256(version)))
        .put("env", new JsonObject().put("APP_NAME", app))
        .put("command", new JsonArray().add(JavaJar.javaBinary().toString()).add("-Xmx64m")
            .add("-XX:TieredStopAtLevel=1").add("-jar").add("{artifact}"));
  }

  // ---- the agent's HTTP API --------------------------------------------------------------------------

  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }
  }

  Reply call(String method, String path, String body, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service().url() + path))
        .timeout(Duration.ofSeconds(90))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  Reply post(String path, String body) throws Exception {
    return call("POST", path, body, TOKEN);
  }

  Reply get(String path) throws Exception {
    return call("GET", path, null, TOKEN);
  }

  Reply delete(String path) throws Exception {
    return call("DELETE", path, null, TOKEN);
  }

  /** Starts an instance and waits until it is healthy and registered. */
  JsonObject startHealthy(String app, String version) throws Exception {
    Reply r = post("/v1/instances?wait=healthy", startRequest(app, version).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  // ---- Consul ----------------------------------------------------------------------------------------

  String consulGet(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(consul.httpAddress() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** The passing instances of {@code app} in Consul's health API (what gateways route to). */
  JsonArray passing(String app) throws Exception {
    return new JsonArray(consulGet("/v1/health/service/" + app + "?passing"));
  }

  /** Every service registered on the Consul agent, by ID. */
  JsonObject localServices() throws Exception {
    return new JsonObject(consulGet("/v1/agent/services"));
  }

  void consulPut(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(consul.httpAddress() + path))
        .PUT(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  // ---- events and processes --------------------------------------------------------------------------

  List<BatonEvent> eventsOf(String subject) {
    return events.stream().filter(e -> subject.equals(e.subject())).toList();
  }

  List<String> kindsOf(String subject) {
    return eventsOf(subject).stream().map(BatonEvent::kind).toList();
  }

  BatonEvent awaitEvent(String subject, String kind, int nth) {
    return Poll.value(WAIT, () -> {
      List<BatonEvent> matching = eventsOf(subject).stream().filter(e -> kind.equals(e.kind())).toList();
      return matching.size() >= nth ? matching.get(nth - 1) : null;
    }, "event #" + nth + " " + kind + " of " + subject + " (seen: " + kindsOf(subject) + ")");
  }

  /** Pids of the live processes running something of this agent's data dir (its instances). */
  List<Long> instancePids() {
    String marker = dataDir().toString();
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(marker)).orElse(false))
        .map(ProcessHandle::pid).sorted().toList();
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static void kill9(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Poll.until(WAIT, () -> !alive(pid), "pid " + pid + " to die");
  }

  Path instanceLog(String instanceId) {
    return dataDir().resolve("instances").resolve(instanceId).resolve("instance.log");
  }

  /** Kills the agents and their instances (the stack), then leaves the cluster and stops the stand-in registry. */
  @Override
  public void close() throws Exception {
    try {
      stack.close();
    } finally {
      artifacts.close();
      await(vertx.close());
    }
  }
}
