package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.gateway.GatewaySettings;
import dev.baton.gateway.routing.Ejection;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.RouteTable;
import dev.baton.gateway.routing.RouteTableBuilder;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamObserver;
import dev.baton.gateway.routing.UpstreamRegistry;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A lost host reaches the requests waiting on it through their event loop's {@link AwaitingHeads}
 * (docs/ARCHITECTURE.md, "Host-lost bookkeeping per event loop"): a real traffic verticle relays to two real
 * instances, {@code a} answering and {@code b} holding every request; told from another thread that {@code b}'s host
 * is lost, the verticle retries the waiting GETs on {@code a} and answers the waiting POSTs 502, at once.
 * FailedHostIT proves the same through Consul with the gateway's jar.
 */
class HostLostTest {

  record Reply(int status, String body) {
  }

  private static Vertx vertx;
  private static HttpClientAgent client;
  private static TrafficVerticle traffic;
  private static Upstream b;
  private static int port;
  /** Requests {@code b} holds unanswered. */
  private static final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // a answers after a while, so that requests pile up on it too and the picker (fewest in flight) tries b again.
    HttpServer serverA = vertx.createHttpServer().requestHandler(req -> vertx.setTimer(300,
        t -> req.response().end("a")));
    HttpServer serverB = vertx.createHttpServer().requestHandler(held::add);
    await(serverA.listen(0, "127.0.0.1"));
    await(serverB.listen(0, "127.0.0.1"));
    UpstreamRegistry registry = new UpstreamRegistry(info -> new Upstream(info, Ejection.ofMillis(5, 1_000, 10_000),
        UpstreamObserver.NONE));
    InstanceInfo infoA = new InstanceInfo("shop-a", "shop", "1.0.0", "127.0.0.1", serverA.actualPort());
    InstanceInfo infoB = new InstanceInfo("shop-b", "shop", "1.0.0", "127.0.0.1", serverB.actualPort());
    RouteTable table = RouteTableBuilder.build(new RouteInputs(Map.of(), Map.of(), List.of(infoA, infoB), List.of()),
        registry::obtain, null, System.currentTimeMillis());
    b = registry.get(infoB.key());
    RouteSource routes = new RouteSource() {
      @Override
      public RouteTable table() {
        return table;
      }

      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public java.time.Instant revisionAppliedAt(String app) {
        return null; // no policy in this table
      }
    };
    port = FreePorts.find();
    GatewaySettings settings = GatewaySettings.from(ConfigLoader.resolve(ServiceKind.GATEWAY, null,
        Map.of("BATON_HTTP_PORT", Integer.toString(port)), "host-a"));
    traffic = new TrafficVerticle(settings, routes);
    await(vertx.deployVerticle(traffic));
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Future<Reply> send(HttpMethod method, String uri) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri))
        .compose(r -> method == HttpMethod.POST ? r.send("{\"item\":\"book\"}") : r.send())
        .compose(r -> r.body().map(body -> new Reply(r.statusCode(), body.toString())));
  }

  @Test
  void requestsWaitingOnALostHostAreRetriedWhenSafeAndAnsweredWhenNot() throws Exception {
    List<Future<Reply>> posts = sendUntilBHolds(HttpMethod.POST, "/orders");
    List<Future<Reply>> gets = sendUntilBHolds(HttpMethod.GET, "/slow");
    // Every request sent by now has reached a (and is answered) or b (and waits): none is on its way any more.
    Poll.until(Duration.ofSeconds(10), () -> held.size() + answered(gets) + answered(posts)
        == gets.size() + posts.size(), "every request answered by a or held by b");
    int waiting = held.size();

    b.hostLost();
    int told = await(traffic.hostLost(Set.of(b)));

    assertThat(told).as("the requests b holds").isEqualTo(waiting);
    for (Future<Reply> f : gets) {
      assertThat(await(f)).as("a GET, retried on a when b held it").isEqualTo(new Reply(200, "a"));
    }
    long heldPosts = held.stream().filter(r -> r.method() == HttpMethod.POST).count();
    List<Reply> postReplies = posts.stream().map(f -> {
      try {
        return await(f);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
    List<Reply> unavailable = postReplies.stream().filter(r -> r.status() == 502).toList();
    assertThat(unavailable).as("a POST b held is answered, not sent twice: %s", postReplies).hasSize((int) heldPosts);
    assertThat(new JsonObject(unavailable.get(0).body()).getString("error")).isEqualTo("upstream_unavailable");
    assertThat(postReplies).filteredOn(r -> r.status() != 502).allMatch(r -> r.equals(new Reply(200, "a")));
    assertThat(await(traffic.hostLost(Set.of(b)))).as("nothing waits on b any more").isZero();
  }

  /** Sends requests until {@code b} holds one; those {@code a} took are answered meanwhile. */
  private static List<Future<Reply>> sendUntilBHolds(HttpMethod method, String uri) {
    List<Future<Reply>> sent = new CopyOnWriteArrayList<>();
    Poll.until(Duration.ofSeconds(10), () -> {
      if (held.stream().anyMatch(r -> r.method() == method)) {
        return true;
      }
      sent.add(send(method, uri));
      return false;
    }, "b holds a " + method);
    return sent;
  }

  private static int answered(List<Future<Reply>> replies) {
    return (int) replies.stream().filter(Future::isComplete).count();
  }
}
