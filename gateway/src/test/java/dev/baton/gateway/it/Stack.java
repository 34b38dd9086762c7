package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.consul.ServiceNames;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.StackTokens;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small real stack for gateway ITs: the test's Consul, sample-app instances started with
 * {@code java -jar} and registered the way docs/ARCHITECTURE.md says the agent does, and the gateway jar as its
 * own process started by the test-support stack builder, with the stack's operator and read tokens. Everything
 * it starts is closed by {@link #close()}.
 */
final class Stack implements AutoCloseable {

  /** A running sample-app instance and its Consul service ID. */
  record Instance(String app, String version, int port, String id, ManagedProcess process) {
    String address() {
      return "127.0.0.1:" + port;
    }
  }

  static final Duration START = Duration.ofSeconds(120);

  final ConsulExtension consul;
  final Http http = new Http();
  final List<ManagedProcess> processes = new ArrayList<>();
  final StackTokens tokens = StackTokens.random();
  /** The gateway's stack, once {@link #startGateway} ran. */
  dev.baton.testsupport.stack.Stack baton;
  ManagedProcess gateway;
  int gatewayPort;
  int adminPort;
  String gatewayId;

  Stack(ConsulExtension consul) {
    this.consul = consul;
  }

  static Path sampleJar(String version) {
    Path jar = Repo.path("sample-app/target/sample-app-" + version + ".jar");
    assertThat(Files.exists(jar)).as("%s exists (./mvnw -pl sample-app package)", jar).isTrue();
    return jar;
  }

  /** Starts a sample-app instance of {@code version}, waits for its health, registers it in Consul. */
  Instance instance(String app, String version, Map<String, String> env) {
    int port = FreePorts.find();
    ManagedProcess p = ManagedProcess.builder(JavaJar.command(sampleJar(version)))
        .name("sample-" + version + "-" + port).env("PORT", String.valueOf(port)).env(env).start();
    processes.add(p);
    Poll.until(START, () -> http.get("http://127.0.0.1:" + port + "/health").status() == 200,
        "sample-app " + version + " on " + port + " is healthy");
    Instance i = new Instance(app, version, port, ServiceNames.instanceId(app, version, "it", port), p);
    register(i);
    return i;
  }

  Instance instance(String app, String version) {
    return instance(app, version, Map.of());
  }

  /** Registers like the agent: tags baton + version=, meta, HTTP check every 1 s with 1 s timeout. */
  void register(Instance i) {
    JsonObject check = new JsonObject().put("HTTP", "http://127.0.0.1:" + i.port() + "/health")
        .put("Interval", ServiceNames.CHECK_INTERVAL).put("Timeout", ServiceNames.CHECK_TIMEOUT)
        .put("DeregisterCriticalServiceAfter", ServiceNames.DEREGISTER_CRITICAL_AFTER);
    JsonObject meta = new JsonObject().put(ServiceNames.META_VERSION, i.version()).put(ServiceNames.META_AGENT, "it")
        .put(ServiceNames.META_RELEASE, "it").put(ServiceNames.META_SHA256, "0".repeat(64));
    JsonObject body = new JsonObject().put("Name", i.app()).put("ID", i.id()).put("Address", "127.0.0.1")
        .put("Port", i.port()).put("Tags", new JsonArray(ServiceNames.instanceTags(i.version()))).put("Meta", meta)
        .put("Check", check);
    Http.Reply r = http.send("PUT", consul.httpAddress() + "/v1/agent/service/register", body.encode());
    assertThat(r.status()).as("register %s: %s", i.id(), r.body()).isEqualTo(200);
  }

  void deregister(Instance i) {
    assertThat(http.send("PUT", consul.httpAddress() + "/v1/agent/service/deregister/" + i.id(), "").status())
        .isEqualTo(200);
  }

  void putPolicy(String app, String json) {
    Http.Reply r = http.send("PUT", consul.httpAddress() + "/v1/kv/" + ConsulKeys.route(app), json);
    assertThat(r.status()).as("put policy: %s", r.body()).isEqualTo(200);
  }

  void putSpec(String app, String json) {
    assertThat(http.send("PUT", consul.httpAddress() + "/v1/kv/" + ConsulKeys.app(app), json).status()).isEqualTo(200);
  }

  /**
   * Starts a gateway jar against this Consul (with {@code extraEnv} over the defaults) and waits until it listens;
   * the fields then describe it. A second call starts another gateway in the same cluster; the first keeps running.
   */
  void startGateway(Map<String, String> extraEnv) {
    if (baton == null) {
      baton = StackBuilder.create().name("gw-it").consul(consul.process()).tokens(tokens).startTimeout(START).start();
    }
    Service service = baton.add(ServiceSpec.gateway("gw-it-" + UUID.randomUUID().toString().substring(0, 8))
        .env(extraEnv));
    gateway = service.process();
    gatewayPort = service.httpPort();
    adminPort = service.adminPort();
    gatewayId = service.id();
  }

  /** A config for a test JVM that joins the gateway's cluster (event bus), on its own free port. */
  BatonConfig clusterConfig() {
    return ConfigLoader.resolve(ServiceKind.REGISTRY, null, baton.memberEnv("it-test"), "it");
  }

  String url(String path) {
    return "http://127.0.0.1:" + gatewayPort + path;
  }

  String admin(String path) {
    return "http://127.0.0.1:" + adminPort + path;
  }

  /** GET on the admin port with the read token. */
  Http.Reply adminGet(String path) {
    return http.get(admin(path), "Authorization", "Bearer " + tokens.read());
  }

  JsonObject routes() {
    return adminGet("/v1/routes").json();
  }

  /** Waits until the gateway's table lists exactly these instances for {@code app} (by ID). */
  void awaitInstances(String app, List<String> ids) {
    Poll.until(Duration.ofSeconds(20), () -> {
      List<String> seen = new ArrayList<>();
      for (Object o : routes().getJsonArray("apps")) {
        JsonObject a = (JsonObject) o;
        if (a.getString("app").equals(app)) {
          a.getJsonObject("versions").forEach(e -> ((JsonArray) e.getValue()).forEach(id -> seen.add((String) id)));
        }
      }
      return seen.size() == ids.size() && seen.containsAll(ids);
    }, "gateway routes " + app + " to exactly " + ids);
  }

  /** Waits until the gateway applied {@code revision} of {@code app}'s policy. */
  void awaitRevision(String app, long revision) {
    Poll.until(Duration.ofSeconds(20), () -> routes().getJsonArray("apps").stream().map(o -> (JsonObject) o)
        .anyMatch(a -> a.getString("app").equals(app) && a.getLong("revision") == revision),
        "gateway applied revision " + revision + " of " + app);
  }

  /** The "host:port" suffix of the instance field sample-app reports, as a port. */
  static int servedBy(Http.Reply r) {
    String instance = r.json().getString("instance");
    return Integer.parseInt(instance.substring(instance.lastIndexOf(':') + 1));
  }

  /** An IT's {@code @AfterAll}: closes the test's own Vert.x (its in-test instances), then the stack; either may be null. */
  static void close(Stack stack, io.vertx.core.Vertx vertx) throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Override
  public void close() {
    try {
      if (baton != null) {
        baton.close();
      }
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
      http.close();
    }
  }
}
