package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.GatewaySettings.UpstreamQueue;
import dev.baton.gateway.routing.Ejection;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamObserver;
import dev.baton.testsupport.Poll;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-event-loop connections to an instance, against a real HTTP server on loopback: reuse, the limit, the wait
 * queue and its timeout, and connections the instance closes.
 */
class UpstreamConnectionsTest {

  private Vertx vertx;
  private Context loop;
  private HttpServer server;
  private HttpClientAgent client;
  private Upstream upstream;
  /** Requests the server holds unanswered, in arrival order. */
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger serverConnections = new AtomicInteger();
  private volatile boolean hold;
  private volatile boolean closeAfter;
  /** The Host header of the server's last request. */
  private volatile String lastHost;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .connectionHandler(c -> serverConnections.incrementAndGet())
        .requestHandler(req -> {
          lastHost = req.getHeader(HttpHeaders.HOST);
          if (hold) {
            held.add(req);
          } else if (closeAfter) {
            req.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).end("bye");
          } else {
            req.response().end("ok");
          }
        });
    await(server.listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
    upstream = new Upstream(new InstanceInfo("shop-1", "shop", "1.0.0", "127.0.0.1", server.actualPort()),
        Ejection.ofMillis(5, 1_000, 10_000), UpstreamObserver.NONE);
    loop = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private UpstreamConnections connections(int max, int queue, long queueTimeoutMs) throws Exception {
    return on(() -> Future.succeededFuture(
        new UpstreamConnections(vertx, client, max, new UpstreamQueue(queue, queueTimeoutMs))));
  }

  /** Runs {@code body} on the event loop the connections belong to, and waits for its result. */
  private <T> T on(Supplier<Future<T>> body) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    loop.runOnContext(v -> body.get().onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Acquires on the loop; the result (or failure) arrives on {@code result}, whenever it comes. */
  private void acquire(UpstreamConnections c, Consumer<AsyncResult<UpstreamConnections.Pooled>> result) {
    loop.runOnContext(v -> c.acquire(upstream, result::accept));
  }

  /** One GET over {@code p}, its body read whole; the connection is then recycled or discarded as the caller says. */
  private Future<String> get(UpstreamConnections.Pooled p) {
    return p.connection.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/"))
        .compose(r -> r.send())
        .compose(HttpClientResponse::body)
        .map(Buffer::toString);
  }

  @Test
  void anIdleConnectionIsReusedSoOneConnectionCarriesSequentialRequests() throws Exception {
    UpstreamConnections c = connections(4, 8, 1_000);
    for (int i = 0; i < 5; i++) {
      String body = on(() -> {
        Promise<String> p = Promise.promise();
        c.acquire(upstream, ar -> get(ar.result()).onComplete(b -> {
          c.recycle(ar.result());
          p.handle(b);
        }));
        return p.future();
      });
      assertThat(body).isEqualTo("ok");
    }
    assertThat(serverConnections).hasValue(1);
    assertThat(on(() -> Future.succeededFuture(c.open(upstream)))).isEqualTo(1);
    assertThat(on(() -> Future.succeededFuture(c.idle(upstream)))).isEqualTo(1);
  }

  @Test
  void aRequestCarriesTheClientsHostOrWithoutOneTheInstancesAuthority() throws Exception {
    UpstreamConnections c = connections(1, 4, 1_000);
    for (String host : new String[] {"shop.example.com", null}) {
      on(() -> {
        Promise<String> p = Promise.promise();
        c.acquire(upstream, ar -> ar.result().connection.request(new RequestOptions().setURI("/")).compose(r -> {
          r.authority(ar.result().authority()); // as an exchange does
          if (host != null) {
            r.putHeader(HttpHeaders.HOST, host);
          }
          return r.send();
        }).compose(HttpClientResponse::body).onComplete(b -> {
          c.recycle(ar.result());
          p.handle(b.map(Buffer::toString));
        }));
        return p.future();
      });
      assertThat(lastHost).isEqualTo(host != null ? host : "127.0.0.1:" + server.actualPort());
    }
  }

  @Test
  void pastTheLimitARequestWaitsForAConnectionToComeFreeAndPastTheQueueItIsRefused() throws Exception {
    hold = true;
    UpstreamConnections c = connections(2, 1, 10_000);
    List<AsyncResult<UpstreamConnections.Pooled>> got = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      acquire(c, got::add);
    }
    Poll.until(Duration.ofSeconds(10), () -> got.size() == 3, "three answers: two connections and a full queue");
    // Two connections, the third waits, the fourth finds the queue full.
    assertThat(got.stream().filter(AsyncResult::succeeded).count()).isEqualTo(2);
    assertThat(got.stream().filter(AsyncResult::failed).findFirst().orElseThrow().cause())
        .isInstanceOf(ConnectionPoolTooBusyException.class);
    List<Future<String>> bodies = new CopyOnWriteArrayList<>();
    UpstreamConnections.Pooled first = got.stream().filter(AsyncResult::succeeded).findFirst().orElseThrow().result();
    loop.runOnContext(v -> bodies.add(get(first)));
    Poll.until(Duration.ofSeconds(10), () -> held.size() == 1, "the server holds the first request");
    held.get(0).response().end("first");
    Poll.until(Duration.ofSeconds(10), () -> bodies.get(0).isComplete(), "the first response");
    loop.runOnContext(v -> c.recycle(first));
    Poll.until(Duration.ofSeconds(10), () -> got.size() == 4, "the waiter's connection");
    // The waiter got the connection given back, no third one was opened.
    assertThat(got.get(3).result()).isSameAs(first);
    assertThat(on(() -> Future.succeededFuture(c.open(upstream)))).isEqualTo(2);
  }

  @Test
  void aWaiterGivesUpAfterTheQueueTimeout() throws Exception {
    UpstreamConnections c = connections(1, 4, 200);
    List<AsyncResult<UpstreamConnections.Pooled>> got = new CopyOnWriteArrayList<>();
    acquire(c, got::add);
    acquire(c, got::add);
    Poll.until(Duration.ofSeconds(10), () -> got.size() == 2, "both answers");
    assertThat(got.get(0).succeeded()).isTrue();
    assertThat(got.get(1).cause()).isInstanceOf(TimeoutException.class).hasMessageContaining("200 ms");
  }

  @Test
  void aConnectionTheInstanceClosesIsNotReusedAndFreesItsPlace() throws Exception {
    closeAfter = true;
    UpstreamConnections c = connections(1, 4, 5_000);
    for (int i = 0; i < 3; i++) {
      String body = on(() -> {
        Promise<String> p = Promise.promise();
        c.acquire(upstream, ar -> get(ar.result()).onComplete(b -> {
          c.recycle(ar.result()); // as an exchange would not, to prove a closed connection is never handed out
          p.handle(b);
        }));
        return p.future();
      });
      assertThat(body).isEqualTo("bye");
      Poll.until(Duration.ofSeconds(10), () -> on(() -> Future.succeededFuture(c.open(upstream))) == 0, "no connection open");
    }
    assertThat(serverConnections).hasValue(3);
  }

  @Test
  void aDiscardedConnectionIsClosedAndAFailedConnectFreesItsPlace() throws Exception {
    UpstreamConnections c = connections(1, 4, 5_000);
    UpstreamConnections.Pooled p = on(() -> {
      Promise<UpstreamConnections.Pooled> out = Promise.promise();
      c.acquire(upstream, out::handle);
      return out.future();
    });
    loop.runOnContext(v -> c.discard(p));
    Poll.until(Duration.ofSeconds(10), () -> on(() -> Future.succeededFuture(c.open(upstream))) == 0, "no connection open");
    await(server.close());
    List<AsyncResult<UpstreamConnections.Pooled>> got = new CopyOnWriteArrayList<>();
    acquire(c, got::add);
    Poll.until(Duration.ofSeconds(10), () -> got.size() == 1, "the failed connect");
    assertThat(got.get(0).failed()).isTrue();
    assertThat(on(() -> Future.succeededFuture(c.open(upstream)))).isZero();
  }
}
