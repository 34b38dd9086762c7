package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import dev.baton.common.bus.RoutesApplied;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the event bus's mutual TLS costs, measured on the whole stack (a figure, not a timed assertion): the
 * drain round trip (a drain request published to the gateways, the gateway's ack back) and the route switch
 * (a route revision written to Consul KV, until the gateway's {@code routes.applied} arrives). Run it as
 * production does and again with {@code -Dbaton.e2e.clusterTls=false} (a plain loopback bus); each run prints
 * its figures and writes them to {@code target/bus-latency-<tls|plain>.txt}. A measurement, so it runs when asked
 * ({@code -Dbaton.bench=true}), not in every build: the suite's time goes to what it proves.
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class BusLatencyIT {

  private static final String APP = "shop";
  private static final int DRAINS = 200;
  private static final int SWITCHES = 40;
  private static Stack stack;
  private static Vertx vertx;
  private static Vertx probe;

  @BeforeAll
  static void startTheStackAndJoinIt() throws Exception {
    stack = StackUnderTest.start();
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0").app(1, Map.of()).serving("1.0.0");
    Map<String, String> env = stack.memberEnv("bus-probe"); // with TLS as the stack runs it, or without (tls())
    probe = ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.REGISTRY, null, env, "probe"))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx v : new Vertx[] {probe, vertx}) {
      if (v != null) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static boolean tls() {
    return !"false".equals(System.getProperty("baton.e2e.clusterTls"));
  }

  @Test
  void drainRoundTripsAndRouteSwitchesOverTheBus() throws Exception {
    String replyTo = "baton.probe.drain-ack";
    Map<String, CompletableFuture<DrainAck>> pending = new java.util.concurrent.ConcurrentHashMap<>();
    probe.eventBus().<JsonObject>consumer(replyTo, m -> {
      DrainAck ack = DrainAck.fromJson(m.body());
      CompletableFuture<DrainAck> f = pending.remove(ack.instanceId());
      if (f != null) {
        f.complete(ack);
      }
    }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<Double> drains = new ArrayList<>();
    for (int i = 0; i < DRAINS; i++) {
      String id = "probe-" + i; // in no gateway's table: acked as drained at once
      CompletableFuture<DrainAck> f = new CompletableFuture<>();
      pending.put(id, f);
      long t0 = System.nanoTime();
      probe.eventBus().publish(Addresses.GATEWAY_DRAIN, new DrainRequest(id, APP, "0.0.0", "127.0.0.1", 1, replyTo,
          5000).toJson());
      DrainAck ack = f.get(30, TimeUnit.SECONDS);
      drains.add((System.nanoTime() - t0) / 1e6);
      assertThat(ack.drained()).isTrue();
    }

    Map<Long, CompletableFuture<Long>> applied = new java.util.concurrent.ConcurrentHashMap<>();
    probe.eventBus().<JsonObject>consumer(Addresses.ROUTES_APPLIED, m -> {
      RoutesApplied a = RoutesApplied.fromJson(m.body());
      CompletableFuture<Long> f = applied.remove(a.revision());
      if (f != null && a.app().equals(APP)) {
        f.complete(System.nanoTime());
      }
    }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<Double> switches = new ArrayList<>();
    for (int i = 0; i < SWITCHES; i++) {
      JsonObject kv = stack.consulHttp().get("/v1/kv/" + ConsulKeys.route(APP)).ok("route").array().getJsonObject(0);
      RoutePolicy route = RoutePolicy.fromJson(new JsonObject(new String(Base64.getDecoder().decode(kv.getString("Value")))));
      RoutePolicy next = route.withRevision(route.revision() + 1);
      CompletableFuture<Long> f = new CompletableFuture<>();
      applied.put(next.revision(), f);
      long t0 = System.nanoTime();
      stack.consulHttp().put("/v1/kv/" + ConsulKeys.route(APP), next.toJson()).ok("write route");
      switches.add((f.get(30, TimeUnit.SECONDS) - t0) / 1e6);
    }

    String mode = tls() ? "tls" : "plain";
    String figures = "event bus " + (tls() ? "with mutual TLS" : "plain (BATON_CLUSTER_INSECURE)") + "\n"
        + line("drain round trip", drains) + line("route switch (KV write -> routes.applied)", switches);
    System.out.println("\n== bus latency\n" + figures);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "bus-latency-" + mode + ".txt"), figures);
    stack.assertAlive();
  }

  private static String line(String what, List<Double> ms) {
    List<Double> warm = new ArrayList<>(ms.subList(1, ms.size()));
    warm.sort(Double::compare);
    return String.format("  %-44s n=%d first %.2f ms  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n", what,
        ms.size(), ms.get(0), pct(warm, 0.50), pct(warm, 0.90), pct(warm, 0.99), warm.get(warm.size() - 1));
  }

  private static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
