package dev.baton.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The route table built from Consul for many apps (bench/README.md, "Control plane"): apps of 3 versions × 10
 * instances registered straight into the catalog (fake addresses in 198.18.0.0/15 with passing checks, nothing
 * listens) with a route policy each in KV; at each size a fresh gateway (default JVM options, {@code java -jar}) is
 * started and timed until its {@code /health} shows the whole table; then its live heap after a full GC, RSS,
 * threads and sockets. Sizes grow until one does not complete in time ({@code -Dbaton.bench.apps=100,300,1000}).
 * Asserts only that a completed table holds every app and instance.
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class RouteTableScaleIT {

  private static final String[] VERSIONS = {"1.0.0", "2.0.0", "3.0.0"};
  private static final int PER_VERSION = 10;
  private static final Duration TABLE_TIMEOUT = Duration.ofSeconds(Long.getLong("baton.bench.tableTimeoutS", 120));
  private static ConsulProcess consul;
  private static Stack stack;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    consul = ConsulProcess.start();
    stack = StackBuilder.create().name("bench-table").consul(consul).start();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (stack != null) {
      stack.close();
    }
    if (consul != null) {
      consul.close();
    }
  }

  @Test
  void theGatewayBuildsItsTableFromConsul() throws Exception {
    BenchReport report = new BenchReport("route-table", "route table of N apps x 3 versions x 10 instances built by"
        + " a fresh gateway (java -jar, no JVM option: JDK 17 defaults, G1, max heap 1/4 of RAM)");
    report.line("apps | instances | register (catalog, 8 threads) | gateway start -> listening | -> whole table"
        + " | live heap after GC | RSS | threads | sockets | Consul read failures logged");
    int registered = 0;
    for (String size : System.getProperty("baton.bench.apps", "0,100,300,1000").split(",")) {
      int apps = Integer.parseInt(size.trim());
      long t0 = System.nanoTime();
      register(registered, apps);
      double registerS = (System.nanoTime() - t0) / 1e9;
      registered = Math.max(registered, apps);
      if (!measure(report, apps, registerS)) {
        break;
      }
    }
    report.write();
  }

  /** Starts a gateway, times its table, reads its figures, stops it; false when the table was not whole in time. */
  private static boolean measure(BenchReport report, int apps, double registerS) throws Exception {
    Service spec = stack.define(ServiceSpec.gateway("gateway-" + apps).env("BATON_TRAFFIC_INSTANCES",
        Integer.toString(Runtime.getRuntime().availableProcessors()))); // the gateway's default, not the stack's 1
    List<String> command = List.of(JavaJar.javaBinary().toString(), "-jar", Service.jar(spec.kind()).toString());
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
      long pid = gateway.pid();
      double heap = BenchReport.liveHeapMiB(pid);
      long rss = BenchReport.procStatus(pid, "VmRSS");
      long threads = BenchReport.procStatus(pid, "Threads");
      long sockets = BenchReport.sockets(pid);
      long failures = Files.readAllLines(gateway.logFile()).stream().filter(l -> l.contains("read failed")).count();
      report.format("%4d | %9d | %26.1f s | %23.1f s | %s | %14.1f MiB | %4d MiB | %7d | %7d | %d", apps, instances,
          registerS, listening, whole ? String.format("%11.1f s", built) : "not whole after " + TABLE_TIMEOUT.toSeconds()
          + " s: " + table[0], heap, rss / 1024, threads, sockets, failures);
      if (whole) {
        assertThat(table[0].getInteger("apps")).isEqualTo(apps);
      }
      gateway.stop(Duration.ofSeconds(20));
      return whole;
    }
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
  private static void register(int from, int to) throws Exception {
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
      RoutePolicy policy = new RoutePolicy(app(a), 1, List.of(new WeightedVersion(VERSIONS[0], 80),
          new WeightedVersion(VERSIONS[1], 15), new WeightedVersion(VERSIONS[2], 5)), List.of(), null, null);
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
