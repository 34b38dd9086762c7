package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watcher against a real Consul with its default limits ({@code http_max_conns_per_client} 200): as many
 * connections with 300 apps as with 10, every app in the table, and each kind of change to the last app reaching
 * the table within a fraction of a blocking query's wait (docs/ARCHITECTURE.md, Gateway, "Watching Consul with a
 * constant number of connections"). Prints the latencies; asserts only that each change arrived.
 */
class ConsulWatcherScaleTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  private static final long WAIT_SECONDS = 30;
  private static final Duration ARRIVES = Duration.ofSeconds(WAIT_SECONDS / 3);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final AtomicReference<RouteInputs> latest = new AtomicReference<>(RouteInputs.NONE);
  private final Set<String> lost = ConcurrentHashMap.newKeySet();
  private volatile Predicate<RouteInputs> awaited;
  private volatile CompletableFuture<Long> arrived;

  @Test
  void connectionsStayFixedFromTenToThreeHundredAppsAndEveryChangeArrives() throws Exception {
    for (int a = 0; a < 10; a++) {
      register("app" + a, "app" + a + "-1", 20000 + a, "1.0.0", true);
    }
    long c10 = watch(10);
    for (int a = 10; a < 300; a++) {
      register("app" + a, "app" + a + "-1", 20000 + a, "1.0.0", true);
    }
    Vertx vertx = Vertx.vertx();
    try {
      long baseline = ConsulSockets.connectionsTo(CONSUL.port());
      long t0 = System.nanoTime();
      ConsulWatcher watcher = start(vertx);
      assertThat(apps(latest.get())).isEqualTo(300);
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      long c300 = ConsulSockets.connectionsTo(CONSUL.port()) - baseline;
      System.out.printf("connections to Consul: %d with 10 apps, %d with 300 apps; 300 apps read in %d ms%n", c10, c300,
          startMs);
      assertThat(c300).isEqualTo(c10).isLessThanOrEqualTo(ConsulWatcher.MAX_READS + 4);

      long added = change(() -> register("app299", "app299-2", 21299, "1.0.0", true),
          in -> has(in, "app299-2", 21299, "1.0.0"));
      long critical = change(() -> put("/v1/agent/check/fail/service:app299-2"),
          in -> !has(in, "app299-2", 21299, "1.0.0"));
      long passing = change(() -> put("/v1/agent/check/pass/service:app299-2"),
          in -> has(in, "app299-2", 21299, "1.0.0"));
      long tagged = change(() -> register("app299", "app299-2", 21299, "2.0.0", true),
          in -> has(in, "app299-2", 21299, "2.0.0"));
      long moved = change(() -> register("app299", "app299-2", 21399, "2.0.0", true),
          in -> has(in, "app299-2", 21399, "2.0.0") && !has(in, "app299-2", 21299, "2.0.0"));
      long gone = change(() -> put("/v1/agent/service/deregister/app299-2"),
          in -> in.instances().stream().noneMatch(i -> i.id().equals("app299-2")));
      long checkless = change(() -> register("app298", "app298-2", 21298, "1.0.0", false),
          in -> has(in, "app298-2", 21298, "1.0.0"));
      catalogNode("failing-host", "passing");
      send("/v1/catalog/register", new JsonObject().put("Node", "failing-host").put("Address", "198.18.9.9")
          .put("Service", new JsonObject().put("ID", "app296-9").put("Service", "app296").put("Port", 21296)
              .put("Tags", new JsonArray(ServiceNames.instanceTags("1.0.0"))))); // no check of its own
      Poll.until(ARRIVES, () -> has(latest.get(), "app297-9", 21297, "1.0.0")
          && has(latest.get(), "app296-9", 21296, "1.0.0"), "the instances on failing-host");
      long nodeFailed = change(() -> catalogNode("failing-host", "critical"),
          in -> !has(in, "app297-9", 21297, "1.0.0") && !has(in, "app296-9", 21296, "1.0.0"));
      Poll.until(ARRIVES, () -> lost.containsAll(Set.of("app297-9@198.18.9.9:21297", "app296-9@198.18.9.9:21296")),
          "onHostLost told of app297-9 and app296-9 (no check of its own)");
      System.out.printf("300 apps, change to the table in ms: instance added %d, check critical %d, passing %d,"
          + " tags %d, port %d, deregistered %d, instance without check %d (catalog only), node failed %d;"
          + " %d service reads%n", added, critical, passing, tagged, moved, gone, checkless, nodeFailed,
          watcher.serviceReads());
      watcher.stop();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a watcher on a Vert.x of its own, checks it sees every app, closes it: its connections to Consul. */
  private long watch(int apps) throws Exception {
    Vertx vertx = Vertx.vertx();
    long baseline = ConsulSockets.connectionsTo(CONSUL.port());
    try {
      ConsulWatcher watcher = start(vertx);
      assertThat(apps(latest.get())).isEqualTo(apps);
      long n = ConsulSockets.connectionsTo(CONSUL.port()) - baseline;
      watcher.stop();
      return n;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Poll.until(ARRIVES, () -> ConsulSockets.connectionsTo(CONSUL.port()) <= baseline, "the watcher's sockets closed");
    }
  }

  private ConsulWatcher start(Vertx vertx) throws Exception {
    ConsulAccess access = new ConsulAccess(CONSUL.host(), CONSUL.port(), false, null, null, null, null);
    KvReader kv = new KvReader(vertx.createHttpClient(access.httpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4)), access, WAIT_SECONDS);
    ConsulWatcher watcher = new ConsulWatcher(vertx, ConsulWatcher.client(vertx, access, WAIT_SECONDS), access, kv,
        WAIT_SECONDS, 0, Backoff.DEFAULT, this::inputs, lost::addAll);
    watcher.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return watcher;
  }

  private void inputs(RouteInputs in) {
    latest.set(in);
    Predicate<RouteInputs> p = awaited;
    if (p != null && p.test(in)) {
      arrived.complete(System.nanoTime());
    }
  }

  /** Makes a change and returns the milliseconds until the watcher handed over inputs showing it. */
  private long change(ThrowingRunnable action, Predicate<RouteInputs> shows) throws Exception {
    arrived = new CompletableFuture<>();
    awaited = shows;
    long t0 = System.nanoTime();
    action.run();
    long at = arrived.get(ARRIVES.toSeconds(), TimeUnit.SECONDS);
    awaited = null;
    return Math.max(0, (at - t0) / 1_000_000);
  }

  private static long apps(RouteInputs in) {
    return in.instances().stream().map(InstanceInfo::app).distinct().count();
  }

  private static boolean has(RouteInputs in, String id, int port, String version) {
    return in.instances().stream().anyMatch(i -> i.id().equals(id) && i.port() == port && i.version().equals(version));
  }

  private static void register(String app, String id, int port, String version, boolean check) throws Exception {
    JsonObject body = new JsonObject().put("ID", id).put("Name", app).put("Address", "198.18.0.1").put("Port", port)
        .put("Tags", new JsonArray(ServiceNames.instanceTags(version)));
    if (check) {
      body.put("Check", new JsonObject().put("TTL", "10m").put("Status", "passing"));
    }
    send("/v1/agent/service/register", body);
  }

  /** A node of the catalog's own with one instance of app297 and the node's serfHealth in {@code status}. */
  private static void catalogNode(String node, String status) throws Exception {
    send("/v1/catalog/register", new JsonObject().put("Node", node).put("Address", "198.18.9.9")
        .put("Service", new JsonObject().put("ID", "app297-9").put("Service", "app297").put("Port", 21297)
            .put("Tags", new JsonArray(ServiceNames.instanceTags("1.0.0"))))
        .put("Checks", new JsonArray()
            .add(new JsonObject().put("CheckID", HealthEntries.SERF_HEALTH).put("Name", "Serf").put("Status", status))
            .add(new JsonObject().put("CheckID", "service:app297-9").put("Name", "app").put("Status", "passing")
                .put("ServiceID", "app297-9"))));
  }

  private static void put(String path) throws Exception {
    send(path, null);
  }

  private static void send(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(CONSUL.httpAddress() + path))
        .PUT(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
