package dev.baton.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.RoutesApplied;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.ConsulSecurity;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The route table built from Consul for many apps (bench/README.md, "Control plane"): apps of 3 versions × 10
 * instances registered straight into the catalog (fake addresses in 198.18.0.0/15 with passing checks, nothing
 * listens) with a route policy each in KV; at each size a fresh gateway (as shipped, {@code java @gateway/jvm.options -jar}) is
 * started and timed until its {@code /health} shows the whole table; then its live heap after a full GC, RSS,
 * threads and sockets. Sizes grow until one does not complete in time ({@code -Dbaton.bench.apps=0,100,180,300} with
 * Consul's defaults, {@code -Dbaton.bench.appsRaised=100,300,1000} with the raised limit). Asserts only that with
 * the raised limit every table is whole.
 * Each size once with Consul's default limits, then again with its per-client connection limit raised (the
 * gateway holds one blocking query per app: docs/ARCHITECTURE.md, "Control-plane latency"). With a whole table,
 * app 0's route is rewritten ten times: KV write until the gateway's {@code routes.applied}, each a full rebuild.
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class RouteTableScaleIT {

  private static final String[] VERSIONS = {"1.0.0", "2.0.0", "3.0.0"};
  private static final int PER_VERSION = 10;
  private static final Duration TABLE_TIMEOUT = Duration.ofSeconds(Long.getLong("baton.bench.tableTimeoutS", 120));
  private static final int REWRITES = 10;
  private static ExecutorService pool;
  private Stack stack;
  private Vertx probe;
  private final Map<Long, Long> applied = new ConcurrentHashMap<>(); // revision of app 0 -> nanoTime of its ack

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void theGatewayBuildsItsTableFromConsul() throws Exception {
    BenchReport report = new BenchReport("route-table", "route table of N apps x 3 versions x 10 instances built by"
        + " a fresh gateway (as shipped: java @gateway/jvm.options, parallel GC, max heap 512 MiB; one traffic"
        + " verticle per core)");
    series(report, "Consul's default limits (http_max_conns_per_client 200 per client address)", new JsonObject(),
        System.getProperty("baton.bench.apps", "0,100,180,300"));
    boolean raisedWhole = series(report, "Consul with limits.http_max_conns_per_client 4096", new JsonObject()
        .put("limits", new JsonObject().put("http_max_conns_per_client", 4096)),
        System.getProperty("baton.bench.appsRaised", "100,300,1000"));
    report.write();
    assertThat(raisedWhole).as("every size's table whole with Consul's connection limit raised").isTrue();
  }

  /** One Consul of this configuration and the sizes in turn (apps added to its catalog), until one is not whole. */
  private boolean series(BenchReport report, String what, JsonObject consulConfig, String sizes) throws Exception {
    report.line("-- " + what);
    report.line("apps | instances | register (catalog, 8 threads) | start -> listening | -> whole table"
        + " | live heap after GC | RSS | threads | sockets (to Consul) | Consul reads failed | route write -> applied");
    ConsulProcess consul = ConsulProcess.start(ConsulProcess.Storage.IN_MEMORY, ConsulSecurity.Mode.NONE, consulConfig);
    try {
      stack = StackBuilder.create().name("bench-table").consul(consul).start();
      probe = ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.REGISTRY, null,
          stack.memberEnv("bench-probe"), "probe")).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      applied.clear();
      probe.eventBus().<JsonObject>consumer(Addresses.ROUTES_APPLIED, m -> {
        RoutesApplied a = RoutesApplied.fromJson(m.body());
        if (a.app().equals(app(0))) {
          applied.putIfAbsent(a.revision(), System.nanoTime());
        }
      }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      int registered = 0;
      for (String size : sizes.split(",")) {
        int apps = Integer.parseInt(size.trim());
        long t0 = System.nanoTime();
        register(registered, apps);
        double registerS = (System.nanoTime() - t0) / 1e9;
        registered = Math.max(registered, apps);
        if (!measure(report, apps, registerS)) {
          return false;
        }
      }
      return true;
    } finally {
      if (probe != null) {
        probe.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        probe = null;
      }
      if (stack != null) {
        stack.close();
      }
      consul.close();
    }
  }

  /** Starts a gateway, times its table, reads its figures, stops it; false when the table was not whole in time. */
  private boolean measure(BenchReport report, int apps, double registerS) throws Exception {
    ServiceSpec shipped = ServiceSpec.gateway("gateway-" + apps).shippedJvm().env("BATON_TRAFFIC_INSTANCES",
        Integer.toString(Runtime.getRuntime().availableProcessors())); // the gateway's default, not the stack's 1
    Service spec = stack.define(shipped);
    List<String> command = JavaJar.command(shipped.jvmOptions(), Service.jar(spec.kind())); // as shipped
    long t0 = System.nanoTime();
    try (ManagedProcess gateway = ManagedProcess.builder(command).name(spec.id()).env(spec.env())
        .directory(stack.dir()).logFile(stack.logDir().resolve(spec.id() + ".log")).start()) {
      double listening = -1;
      try {
        gateway.awaitLog(Pattern.compile("gateway listening on"), TABLE_TIMEOUT);
        listening = (System.nanoTime() - t0) / 1e9;
      } catch (AssertionError notYet) {
        // reported below as not listening
      }
      Http admin = new Http(spec.adminUrl());
      int instances = apps * VERSIONS.length * PER_VERSION;
      JsonObject[] table = {null};
      boolean whole = listening >= 0 && tryPoll(() -> {
        Http.Response r = admin.get("/health");
        table[0] = r.status() == 200 ? r.json().getJsonObject("table") : table[0];
        return table[0] != null && table[0].getInteger("apps") == apps && table[0].getInteger("instances") == instances;
      });
      double built = (System.nanoTime() - t0) / 1e9;
      if (!gateway.isAlive()) {
        report.format("%4d | gateway exited with %d after %.1f s; log tail: %s", apps,
            gateway.waitForExit(Duration.ofSeconds(5)), built, gateway.logTail(5));
        return false;
      }
      long pid = gateway.pid();
      String rewrites = whole && apps > 0 ? BenchReport.summary(rewrites()) : "-";
      double heap = BenchReport.liveHeapMiB(pid);
      long rss = BenchReport.procStatus(pid, "VmRSS");
      long threads = BenchReport.procStatus(pid, "Threads");
      long sockets = BenchReport.sockets(pid);
      long toConsul = BenchReport.connectionsTo(pid, stack.consul().orElseThrow().httpPort());
      long failures = Files.readAllLines(gateway.logFile()).stream().filter(l -> l.contains("read failed")).count();
      report.format("%4d | %9d | %26.1f s | %16.1f s | %s | %14.1f MiB | %4d MiB | %7d | %7d (%d) | %19d | %s", apps,
          instances, registerS, listening, whole ? String.format("%11.1f s", built) : "NOT whole after "
          + TABLE_TIMEOUT.toSeconds() + " s, last /health table: " + table[0], heap, rss / 1024, threads, sockets,
          toConsul, failures, rewrites);
      if (whole && apps >= 1000) {
        report.line("live heap by class at " + apps + " apps (top 12):\n" + BenchReport.topClasses(pid, 12));
      }
      gateway.stop(Duration.ofSeconds(20));
      return whole;
    }
  }

  /** App 0's route rewritten {@link #REWRITES} times: KV write until this gateway's routes.applied, each a rebuild. */
  private List<Double> rewrites() throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i <= REWRITES; i++) { // the first one warms the bus's path
      JsonObject kv = stack.consulHttp().get("/v1/kv/" + ConsulKeys.route(app(0))).ok("route").array().getJsonObject(0);
      RoutePolicy route = RoutePolicy.fromJson(new JsonObject(new String(Base64.getDecoder().decode(kv.getString("Value")),
          StandardCharsets.UTF_8)));
      RoutePolicy next = policy(0, route.revision() + 1, i % 2 == 0 ? 70 : 80);
      long t0 = System.nanoTime();
      stack.consulHttp().put("/v1/kv/" + ConsulKeys.route(app(0)), next.toJson()).ok("write route");
      Long at = Poll.value(Duration.ofSeconds(30), () -> applied.get(next.revision()),
          "the gateway to apply revision " + next.revision() + " of " + app(0));
      if (i > 0) {
        ms.add((at - t0) / 1e6);
      }
    }
    return ms;
  }

  private static RoutePolicy policy(int app, long revision, double first) {
    return new RoutePolicy(app(app), revision, List.of(new WeightedVersion(VERSIONS[0], first),
        new WeightedVersion(VERSIONS[1], 95 - first), new WeightedVersion(VERSIONS[2], 5)), List.of(), null, null);
  }

  private static boolean tryPoll(Poll.Check check) {
    try {
      Poll.until(TABLE_TIMEOUT, check, "the whole table");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** Registers apps {@code from..to-1} (catalog, one call per instance, 8 at once) and writes their route policies. */
  private void register(int from, int to) throws Exception {
    Http http = stack.consulHttp();
    List<Future<?>> calls = new ArrayList<>();
    for (int a = from; a < to; a++) {
      String app = app(a);
      for (int v = 0; v < VERSIONS.length; v++) {
        for (int i = 0; i < PER_VERSION; i++) {
          int n = (a * VERSIONS.length + v) * PER_VERSION + i;
          String address = "198.18." + (n / 250) % 250 + "." + (1 + n % 250);
          String id = app + "-" + VERSIONS[v] + "-" + i;
          JsonObject body = new JsonObject().put("Node", "bench-host-" + (n % 200)).put("Address", "198.19.0." + (n % 200))
              .put("Service", new JsonObject().put("ID", id).put("Service", app).put("Address", address)
                  .put("Port", 20000 + i).put("Tags", new JsonArray().add("baton").add("version=" + VERSIONS[v]))
                  .put("Meta", new JsonObject().put("version", VERSIONS[v])))
              .put("Check", new JsonObject().put("CheckID", "service:" + id).put("Name", "health").put("Status", "passing")
                  .put("ServiceID", id));
          calls.add(pool.submit(() -> http.put("/v1/catalog/register", body).ok("register " + id)));
        }
      }
    }
    for (Future<?> f : calls) {
      f.get();
    }
    JsonArray txn = new JsonArray();
    for (int a = from; a < to; a++) {
      RoutePolicy policy = policy(a, 1, 80);
      txn.add(new JsonObject().put("KV", new JsonObject().put("Verb", "set").put("Key", ConsulKeys.route(app(a)))
          .put("Value", Base64.getEncoder().encodeToString(policy.toJson().encode().getBytes(StandardCharsets.UTF_8)))));
      if (txn.size() == 64 || a == to - 1) {
        http.put("/v1/txn", txn).ok("write route policies");
        txn = new JsonArray();
      }
    }
  }

  private static String app(int a) {
    return String.format("bench-%04d", a);
  }
}
