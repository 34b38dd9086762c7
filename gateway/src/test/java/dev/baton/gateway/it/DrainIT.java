package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import dev.baton.common.bus.RoutesApplied;
import dev.baton.common.bus.VersionMetrics;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway on the clustered event bus, seen from a test JVM that joins the cluster: drain acks (open
 * WebSocket sessions included), routes-applied notices and per-version metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static Stack.Instance a;
  static Stack.Instance b;
  static Vertx vertx;
  static final BlockingQueue<JsonObject> acks = new LinkedBlockingQueue<>();
  static final String replyTo = "it.drain.replies." + UUID.randomUUID();
  /** Warm-up probes get their own reply address: a late probe ack must never count as a test's ack. */
  static final String probeReplyTo = "it.drain.probes." + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    a = stack.instance("shop", "1.0.0");
    b = stack.instance("shop", "1.0.0");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(a.id(), b.id()));
    vertx = ClusteredVertxFactory.create(stack.clusterConfig()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(replyTo, m -> acks.add(m.body())).completion()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    BlockingQueue<JsonObject> probeAcks = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(probeReplyTo, m -> probeAcks.add(m.body())).completion()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // The gateway's drain consumer must be visible from here before a drain can be trusted to arrive.
    Poll.until(Duration.ofSeconds(30), () -> {
      publish(new DrainRequest("nobody-" + UUID.randomUUID(), "shop", "1.0.0", "127.0.0.1", 1, probeReplyTo, 0));
      return probeAcks.poll(500, TimeUnit.MILLISECONDS) != null;
    }, "the gateway answers drain requests over the cluster");
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  static void publish(DrainRequest r) {
    vertx.eventBus().publish(Addresses.GATEWAY_DRAIN, r.toJson());
  }

  @Test
  @Order(1)
  void gatewayRegistersItselfInConsulWithItsIdAndAPassingCheck() {
    Poll.until(Duration.ofSeconds(20), () -> {
      Http.Reply r = stack.http.get(CONSUL.httpAddress() + "/v1/health/service/baton-gateway?passing=1");
      return r.status() == 200 && new io.vertx.core.json.JsonArray(r.body()).stream()
          .anyMatch(o -> stack.gatewayId.equals(((JsonObject) o).getJsonObject("Service").getString("ID")));
    }, "baton-gateway " + stack.gatewayId + " is passing in Consul");
    JsonObject service = new io.vertx.core.json.JsonArray(
        stack.http.get(CONSUL.httpAddress() + "/v1/health/service/baton-gateway").body()).getJsonObject(0)
        .getJsonObject("Service");
    assertThat(service.getJsonObject("Meta").getString("http")).isEqualTo("127.0.0.1:" + stack.gatewayPort);
    assertThat(service.getJsonObject("Meta").getString("admin")).isEqualTo("127.0.0.1:" + stack.adminPort);
    assertThat(service.getJsonObject("Meta").getString("eventBus")).isNotBlank();
  }

  @Test
  @Order(2)
  void everyAppliedRevisionIsAnnouncedAndMetricsArePublishedEverySecond() throws Exception {
    BlockingQueue<RoutesApplied> applied = new LinkedBlockingQueue<>();
    BlockingQueue<VersionMetrics> metrics = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.ROUTES_APPLIED, m -> applied.add(RoutesApplied.fromJson(m.body())))
        .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_METRICS, m -> metrics.add(VersionMetrics.fromJson(m.body())))
        .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":7,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}");
    RoutesApplied r = Poll.value(Duration.ofSeconds(20), () -> {
      RoutesApplied next = applied.poll(200, TimeUnit.MILLISECONDS);
      return next != null && next.revision() == 7 ? next : null;
    }, "routes applied for revision 7");
    assertThat(r).isEqualTo(new RoutesApplied(stack.gatewayId, "shop", 7));

    for (int i = 0; i < 20; i++) {
      assertThat(stack.http.get(stack.url("/")).status()).isEqualTo(200);
    }
    VersionMetrics.Entry e = Poll.value(Duration.ofSeconds(10), () -> {
      VersionMetrics m = metrics.poll(500, TimeUnit.MILLISECONDS);
      if (m == null || !m.gateway().equals(stack.gatewayId)) {
        return null;
      }
      return m.entries().stream().filter(x -> x.app().equals("shop") && x.requests() > 0).findFirst().orElse(null);
    }, "a metrics window with traffic to shop 1.0.0");
    assertThat(e.version()).isEqualTo("1.0.0");
    assertThat(e.errors5xx()).isZero();
    assertThat(e.p99Ms()).isGreaterThan(0.0).isGreaterThanOrEqualTo(e.p50Ms());
    // A request completing while the window turns may be counted in one window and bucketed in the next.
    assertThat(java.util.Arrays.stream(e.latency()).sum()).as("the window's requests are in its latency buckets")
        .isBetween(e.requests() - 1, e.requests() + 1);
  }

  @Test
  @Order(3)
  void deregisteredInstanceGetsNoNewRequestsAndIsAckedOnlyAfterItsInFlightRequestsFinish() throws Exception {
    long slowMs = 3000;
    List<CompletableFuture<Http.Reply>> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(stack.http.getAsync(stack.url("/slow?ms=" + slowMs)));
    }
    long started = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(10), () -> inFlight(a) > 0 && inFlight(b) > 0, "slow requests in flight on both");

    stack.deregister(a);
    publish(new DrainRequest(a.id(), "shop", "1.0.0", "127.0.0.1", a.port(), replyTo, 15_000));
    stack.awaitInstances("shop", List.of(b.id()));
    assertThat(acks).as("no ack while requests to the instance are in flight").isEmpty();
    for (int i = 0; i < 50; i++) {
      Http.Reply r = stack.http.get(stack.url("/"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(Stack.servedBy(r)).as("a new request after deregistration").isEqualTo(b.port());
    }

    JsonObject ackJson = acks.poll(15, TimeUnit.SECONDS);
    long ackedAt = System.currentTimeMillis();
    assertThat(ackJson).as("drain ack").isNotNull();
    DrainAck ack = DrainAck.fromJson(ackJson);
    assertThat(ack.gateway()).isEqualTo(stack.gatewayId);
    assertThat(ack.instanceId()).isEqualTo(a.id());
    assertThat(ack.drained()).isTrue();
    assertThat(ack.inFlight()).isZero();
    assertThat(ackedAt - started).as("ack only after the %d ms requests finished", slowMs).isGreaterThanOrEqualTo(slowMs - 200);
    for (CompletableFuture<Http.Reply> f : slow) {
      assertThat(f.get(10, TimeUnit.SECONDS).status()).as("in-flight requests finish normally").isEqualTo(200);
    }
    assertThat(slow.stream().map(CompletableFuture::join).map(Stack::servedBy)).contains(a.port());
  }

  @Test
  @Order(4)
  void drainTimeoutIsReportedWithTheRequestsStillInFlight() throws Exception {
    CompletableFuture<Http.Reply> slow = stack.http.getAsync(stack.url("/slow?ms=3000"));
    Poll.until(Duration.ofSeconds(10), () -> inFlight(b) > 0, "a slow request in flight on b");
    acks.clear();
    publish(new DrainRequest(b.id(), "shop", "1.0.0", "127.0.0.1", b.port(), replyTo, 300));
    DrainAck ack = DrainAck.fromJson(acks.poll(10, TimeUnit.SECONDS));
    assertThat(ack.drained()).isFalse();
    assertThat(ack.inFlight()).isEqualTo(1);
    assertThat(ack.message()).contains("in flight");
    assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    Http.Reply r = stack.http.get(stack.url("/"));
    assertThat(r.status()).as("a draining instance is never picked").isEqualTo(503);
    assertThat(r.json().getString("error")).isEqualTo("no_instance");
  }

  @Test
  @Order(5)
  void anOpenWebSocketSessionIsInFlightAndHoldsTheDrainUntilItCloses() throws Exception {
    int port = FreePorts.find();
    vertx.createHttpServer()
        .webSocketHandshakeHandler(h -> {
          if (h.path().endsWith("/deny")) {
            h.reject(403);
          } else {
            h.accept();
          }
        })
        .webSocketHandler(ws -> ws.textMessageHandler(t -> ws.writeTextMessage("echo:" + t)))
        .requestHandler(r -> r.response().end("ok"))
        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Stack.Instance chat = new Stack.Instance("chat", "1.0.0", port, "chat-1.0.0-it-" + port, null);
    stack.register(chat);
    stack.putSpec("shop", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/\"}}");
    stack.putSpec("chat", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/chat\"}}");
    stack.awaitInstances("chat", List.of(chat.id()));
    // Closed at the end, which also keeps it reachable: Vert.x 5 shuts a garbage-collected client down, with
    // its connections, and the session below must outlive every GC of the test.
    WebSocketClient client = vertx.createWebSocketClient();

    Throwable refused = client.connect(stack.gatewayPort, "127.0.0.1", "/chat/deny").toCompletionStage()
        .toCompletableFuture().handle((ws, e) -> e).get(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).as("the instance's refusal is relayed").isEqualTo(403);
    Poll.until(Duration.ofSeconds(5), () -> inFlight(chat) == 0, "a refused handshake leaves nothing in flight");

    WebSocket ws = client.connect(stack.gatewayPort, "127.0.0.1", "/chat/room").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    ws.textMessageHandler(replies::add);
    ws.writeTextMessage("one");
    assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo:one");
    assertThat(inFlight(chat)).as("an open session is a request in flight").isEqualTo(1);

    acks.clear();
    stack.deregister(chat);
    publish(new DrainRequest(chat.id(), "chat", "1.0.0", "127.0.0.1", port, replyTo, 15_000));
    stack.awaitInstances("chat", List.of());
    assertThat(acks.poll(500, TimeUnit.MILLISECONDS)).as("no ack while the session is open").isNull();
    ws.writeTextMessage("two");
    assertThat(replies.poll(10, TimeUnit.SECONDS)).as("a draining instance keeps its open sessions").isEqualTo("echo:two");

    ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    DrainAck ack = DrainAck.fromJson(acks.poll(10, TimeUnit.SECONDS));
    assertThat(ack.instanceId()).isEqualTo(chat.id());
    assertThat(ack.drained()).as("acked once the session closed").isTrue();
    assertThat(ack.inFlight()).isZero();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static int inFlight(Stack.Instance i) {
    return stack.adminGet("/v1/upstreams").json().getJsonArray("upstreams").stream()
        .map(o -> (JsonObject) o).filter(u -> u.getString("id").equals(i.id()))
        .mapToInt(u -> u.getInteger("inFlight")).sum();
  }
}
