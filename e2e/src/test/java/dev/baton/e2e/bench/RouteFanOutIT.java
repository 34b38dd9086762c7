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
import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A route revision written to Consul KV until every gateway applied it, with 1, 2 and 4 gateways (bench/README.md,
 * "Control plane"), each started as shipped ({@code java @gateway/jvm.options}). Clocks per switch, all from just
 * before the KV write: the write's own answer, Consul's answer to a blocking read of the key, each gateway's own moment
 * of applying it ({@code revisionAppliedAt}), each gateway's {@code routes.applied} on the bus, and, in a second pass,
 * the first answer of the new version to keep-alive GETs sent to each gateway in a loop. The switches alternate all
 * traffic between 1.0.0 and 2.0.0, both running under a canary held at a manual step. One stack; gateways are added to
 * it between the rounds. Asserts only that every gateway applied and served every revision.
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class RouteFanOutIT {

  private static final String APP = "fanout";
  private static final int SWITCHES = Integer.getInteger("baton.bench.switches", 60);
  private static Stack stack;
  private static Vertx vertx;
  private static Vertx probe;
  private static ExecutorService pollers;

  @BeforeAll
  static void start() throws Exception {
    stack = StackUnderTest.start();
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0", "2.0.0").app(1, Map.of()).serving("1.0.0");
    JsonObject canary = new JsonObject().put("version", "2.0.0").put("strategy", new JsonObject().put("type", "canary")
        .put("steps", new JsonArray().add(new JsonObject().put("weight", 50).put("pause", "manual"))
            .add(new JsonObject().put("weight", 100))));
    String id = stack.registry().http().post("/v1/apps/" + APP + "/releases", canary).ok("canary").json().getString("id");
    Poll.until(Duration.ofSeconds(150), () -> "PAUSED".equals(stack.registry().http().get("/v1/releases/" + id)
        .ok("GET release").json().getString("phase")), "the canary to hold at its manual step, both versions up");
    probe = ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.REGISTRY, null, stack.memberEnv("bench-probe"),
        "probe")).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    pollers = Executors.newCachedThreadPool();
    // A running release owns its app's route: the canary's controller writes its step's split back within a tick of
    // any other write (docs/ARCHITECTURE.md, error `release_in_progress`), which here would add a second revision to every switch.
    // The bench writes KV itself, so the registry is stopped for the switches; the instances run on their agents.
    stack.registry().stop(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (pollers != null) {
      pollers.shutdownNow();
    }
    for (Vertx v : new Vertx[] {probe, vertx}) {
      if (v != null) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyGatewayAppliesEveryRevision() throws Exception {
    Map<Long, Map<String, Long>> acksByRevision = new ConcurrentHashMap<>(); // revision -> gateway -> nanoTime
    probe.eventBus().<JsonObject>consumer(Addresses.ROUTES_APPLIED, m -> {
      RoutesApplied a = RoutesApplied.fromJson(m.body());
      if (a.app().equals(APP)) {
        acksByRevision.computeIfAbsent(a.revision(), r -> new ConcurrentHashMap<>()).putIfAbsent(a.gateway(),
            System.nanoTime());
      }
    }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    BenchReport report = new BenchReport("route-fanout", "route revision written to Consul KV -> applied by every"
        + " gateway (" + SWITCHES + " switches per pass, 1.0.0 <-> 2.0.0, gateways started as shipped: java"
        + " @gateway/jvm.options)");
    report.line("gateways | clock, from just before the KV write          | the slowest gateway unless said");
    for (int gateways : new int[] {1, 2, 4}) {
      while (stack.gateways().size() < gateways) {
        stack.add(ServiceSpec.gateway("gateway-" + (stack.gateways().size() + 1)).shippedJvm());
      }
      List<Service> gws = stack.gateways();
      List<HttpClient> clients = gws.stream().map(g -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build()).toList();
      for (int g = 0; g < gws.size(); g++) { // a new gateway has the app's route before it is measured
        String gateway = gws.get(g).url();
        HttpClient client = clients.get(g);
        Poll.until(Duration.ofSeconds(60), () -> version(client, gateway) != null, gws.get(g).id() + " to route " + APP);
      }
      pass(report, gws, clients, acksByRevision, false);
      pass(report, gws, clients, acksByRevision, true);
    }
    report.write();
    stack.registry().start();
    stack.assertAlive();
  }

  /**
   * One pass of switches. Unprobed: nothing but the switch runs, and each gateway's own moment of applying the
   * revision ({@code revisionAppliedAt} of its admin {@code /v1/routes}, the same host's wall clock) is read after its
   * ack. Probed: keep-alive GETs to every gateway, 0.5 ms apart, time the first answer of the new version; that
   * traffic, its client and the backends share the two cores with the gateways.
   */
  private static void pass(BenchReport report, List<Service> gws, List<HttpClient> clients,
                           Map<Long, Map<String, Long>> acksByRevision, boolean probed) throws Exception {
    int gateways = gws.size();
    List<Double> consulMs = new ArrayList<>();
    List<Double> writtenMs = new ArrayList<>();
    List<Double> firstAckMs = new ArrayList<>();
    List<Double> ackMs = new ArrayList<>();
    List<Double> appliedMs = new ArrayList<>();
    List<Double> servedMs = new ArrayList<>();
    Map<String, Integer> lost = new java.util.TreeMap<>();
    for (int i = -1; i < SWITCHES; i++) { // switch -1 warms the bus's path to the probe and each new gateway
      String target = Math.floorMod(i, 2) == 0 ? "2.0.0" : "1.0.0";
      Http.Response kv = stack.consulHttp().get("/v1/kv/" + ConsulKeys.route(APP)).ok("route");
      RoutePolicy next = next(kv, target);
      Map<String, Long> acks = acksByRevision.computeIfAbsent(next.revision(), r -> new ConcurrentHashMap<>());
      List<Future<Long>> served = new ArrayList<>();
      for (int g = 0; probed && g < gws.size(); g++) {
        String gateway = gws.get(g).url();
        HttpClient client = clients.get(g);
        served.add(pollers.submit(() -> firstAnswerOf(client, gateway, target)));
      }
      // Consul's own answer to a blocking read of the key, as each gateway's KV loop sends (sent before the write)
      Future<Long> consulAnswer = pollers.submit(() -> {
        stack.consulHttp().get("/v1/kv/" + ConsulKeys.route(APP) + "?index=" + kv.header("X-Consul-Index")
            + "&wait=30s").ok("blocking read");
        return System.nanoTime();
      });
      Instant wall0 = Instant.now();
      long t0 = System.nanoTime();
      stack.consulHttp().put("/v1/kv/" + ConsulKeys.route(APP), next.toJson()).ok("write route");
      long written = System.nanoTime();
      long lastServed = 0;
      for (Future<Long> f : served) {
        lastServed = Math.max(lastServed, f.get(30, TimeUnit.SECONDS));
      }
      boolean acked = tryPoll(Duration.ofSeconds(i < 0 ? 10 : 5), () -> acks.size() == gws.size());
      Instant lastApplied = Instant.MIN;
      for (Service g : gws) { // correctness: every gateway's table holds the revision
        Instant[] at = new Instant[1];
        Poll.until(Duration.ofSeconds(10), () -> (at[0] = appliedAt(g, next.revision())) != null,
            g.id() + " to apply revision " + next.revision());
        lastApplied = at[0].isAfter(lastApplied) ? at[0] : lastApplied;
      }
      if (i < 0) { // warming: a gateway that just joined may not reach the probe yet
        continue;
      }
      consulMs.add((consulAnswer.get(30, TimeUnit.SECONDS) - t0) / 1e6);
      writtenMs.add((written - t0) / 1e6);
      appliedMs.add(Duration.between(wall0, lastApplied).toNanos() / 1e6);
      if (probed) {
        servedMs.add((lastServed - t0) / 1e6);
      }
      if (acked) {
        firstAckMs.add((acks.values().stream().mapToLong(Long::longValue).min().orElseThrow() - t0) / 1e6);
        ackMs.add((acks.values().stream().mapToLong(Long::longValue).max().orElseThrow() - t0) / 1e6);
      } else { // no value on the ack clocks for this switch
        gws.stream().map(Service::id).filter(id -> !acks.containsKey(id))
            .forEach(id -> lost.merge(id, 1, Integer::sum));
      }
      Thread.sleep(50 + Math.floorMod(i, 5) * 20L); // not in step with any period of the gateways
    }
    String pass = probed ? "probed: " : "";
    row(report, gateways, pass + "Consul answers the write (PUT returns)", writtenMs);
    row(report, gateways, pass + "Consul answers a blocking read", consulMs);
    row(report, gateways, pass + "every gateway applied (its own clock)", appliedMs);
    row(report, gateways, pass + "first gateway's routes.applied", firstAckMs);
    row(report, gateways, pass + "every gateway's routes.applied (bus)", ackMs);
    if (probed) {
      row(report, gateways, pass + "every gateway answers the new version", servedMs);
    }
    if (!lost.isEmpty()) {
      report.format("%8d | %sroutes.applied never reached the probe (5 s) for: %s of %d switches; each gateway did"
          + " apply every revision (admin /v1/routes)", gateways, pass, lost, SWITCHES);
    }
  }

  private static void row(BenchReport report, int gateways, String clock, List<Double> ms) {
    if (ms.isEmpty()) {
      report.format("%8d | %-43s | no value", gateways, clock);
      return;
    }
    report.format("%8d | %-43s | %s", gateways, clock, BenchReport.summary(ms));
  }

  /** When the gateway applied {@code revision} of the app, or null while its table holds an older one. */
  private static Instant appliedAt(Service gateway, long revision) {
    for (Object o : gateway.admin().get("/v1/routes").ok("routes of " + gateway.id()).json().getJsonArray("apps")) {
      JsonObject app = (JsonObject) o;
      if (APP.equals(app.getString("app")) && app.getLong("revision", -1L) >= revision) {
        return Instant.parse(app.getString("revisionAppliedAt"));
      }
    }
    return null;
  }

  private static boolean tryPoll(Duration timeout, Poll.Check check) {
    try {
      Poll.until(timeout, check, "warm-up acks");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  private static RoutePolicy next(Http.Response read, String version) {
    JsonObject kv = read.array().getJsonObject(0);
    RoutePolicy route = RoutePolicy.fromJson(new JsonObject(new String(Base64.getDecoder().decode(kv.getString("Value")))));
    return new RoutePolicy(APP, route.revision() + 1, List.of(new WeightedVersion(version, 100)), List.of(), null, null);
  }

  /** GETs on one kept-alive connection, 0.5 ms apart, until {@code version} answers; the nanoTime of that answer. */
  private static long firstAnswerOf(HttpClient client, String gateway, String version) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (version.equals(version(client, gateway))) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(500_000); // 0.5 ms: four pollers spinning would take the cores the gateways need
    }
    throw new AssertionError(gateway + " did not answer with " + version + " within 20 s");
  }

  private static String version(HttpClient client, String gateway) throws Exception {
    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(gateway + "/")).timeout(Duration.ofSeconds(5))
        .GET().build(), HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200 ? r.headers().firstValue("X-App-Version").orElse(null) : null;
  }
}
