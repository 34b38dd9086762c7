package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies cannot starve others (docs/ARCHITECTURE.md, Gateway, "Request bodies"), on a gateway with one
 * event loop and a pool of two connections per instance: slow small bodies never hold an instance connection,
 * a full pool answers 503 {@code upstream_busy} instead of an endless wait, and a big body held back by a slow
 * instance is not cut by the client's body deadline. Bounded: 200 slow connections from 127.0.0.1/8 for 10 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowBodiesIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final int SLOW_CONNECTIONS = 200;
  static final long SINK_PAUSE_MS = 5000;
  static Stack stack;
  static Stack.Instance shop;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    shop = stack.instance("shop", "1.0.0");
    vertx = Vertx.vertx();
    // An instance that takes a request body only after a pause, then counts it.
    int sinkPort = FreePorts.find();
    vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/health")) {
        req.response().end("ok");
        return;
      }
      req.pause();
      long[] bytes = {0};
      req.handler(b -> bytes[0] += b.length());
      req.endHandler(v -> req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("bytes", bytes[0]).encode()));
      vertx.setTimer(SINK_PAUSE_MS, t -> req.resume());
    }).listen(sinkPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stack.register(new Stack.Instance("sink", "1.0.0", sinkPort, "sink-1.0.0-it-" + sinkPort, null));
    stack.putSpec("shop", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/\"}}");
    stack.putSpec("sink", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/sink\"}}");
    stack.startGateway(Map.of("BATON_TRAFFIC_INSTANCES", "1", "BATON_UPSTREAM_POOL_SIZE", "2",
        "BATON_UPSTREAM_QUEUE_SIZE", "2", "BATON_UPSTREAM_QUEUE_TIMEOUT_MS", "1000",
        "BATON_BODY_TIMEOUT_MS", "2000", "BATON_BODY_MIN_RATE", "65536", "BATON_BODY_RATE_GRACE_MS", "1000",
        "BATON_MAX_BODY_BYTES", String.valueOf(128 << 20)));
    stack.awaitInstances("shop", List.of(shop.id()));
    stack.awaitInstances("sink", List.of("sink-1.0.0-it-" + sinkPort));
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  @Test
  @Order(1)
  void aFullPoolAnswers503UpstreamBusyInsteadOfAnEndlessWait() throws Exception {
    // Two kept-alive connections first: Vert.x counts a request whose connection is being opened as waiting.
    CompletableFuture<Http.Reply> warm1 = stack.http.getAsync(stack.url("/slow?ms=1000"));
    CompletableFuture<Http.Reply> warm2 = stack.http.getAsync(stack.url("/slow?ms=1000"));
    assertThat(List.of(warm1.get(30, TimeUnit.SECONDS).status(), warm2.get(30, TimeUnit.SECONDS).status()))
        .containsExactly(200, 200);
    List<CompletableFuture<Http.Reply>> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(stack.http.getAsync(stack.url("/slow?ms=6000")));
    }
    // two hold the pool's connections, two wait in its queue
    Poll.until(Duration.ofSeconds(10), () -> shopInFlight() == 4, "two requests hold the pool, two wait");
    long start = System.nanoTime();
    Http.Reply refused = stack.http.get(stack.url("/slow?ms=10"));
    long refusedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.json().getString("error")).isEqualTo("upstream_busy");
    assertThat(refused.json().getString("message")).contains("BATON_UPSTREAM_QUEUE_SIZE");
    assertThat(refused.headers().get("retry-after")).containsExactly("1");
    List<Integer> statuses = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (CompletableFuture<Http.Reply> f : slow) {
      Http.Reply r = f.get(30, TimeUnit.SECONDS);
      statuses.add(r.status());
      if (r.status() != 200) {
        errors.add(r.json().getString("error") + ": " + r.json().getString("message"));
      }
    }
    System.out.printf("full queue refused after %d ms; the four slow requests: %s %s%n", refusedMs, statuses, errors);
    assertThat(statuses).as("two served, two waited their deadline").containsExactlyInAnyOrder(200, 200, 503, 503);
    assertThat(errors).allMatch(e -> e.startsWith("upstream_busy") && e.contains("BATON_UPSTREAM_QUEUE_TIMEOUT_MS"));
    assertThat(stack.http.get(stack.url("/")).status()).as("a busy instance is not ejected").isEqualTo(200);
  }

  @Test
  @Order(2)
  void slowSmallBodiesHoldNoInstanceConnectionAndNormalTrafficIsServed() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger cut = new AtomicInteger();
    Thread dripper = new Thread(() -> drip(running, opened, cut), "slow-bodies");
    dripper.start();
    List<Long> latencies = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int maxInFlight = 0;
    try {
      Poll.until(Duration.ofSeconds(30), () -> opened.get() >= SLOW_CONNECTIONS, "the slow connections are open");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      for (int i = 0; System.nanoTime() < end; i++) {
        long t = System.nanoTime();
        Http.Reply r = i % 2 == 0 ? stack.http.get(stack.url("/"))
            : stack.http.send("POST", stack.url("/orders"), "normal", "Idempotency-Key", "normal-" + i);
        latencies.add((System.nanoTime() - t) / 1_000_000);
        if (r.status() != 200 && r.status() != 201) {
          failures.add(r.status() + " " + r.body());
        }
        maxInFlight = Math.max(maxInFlight, shopInFlight());
      }
    } finally {
      running.set(false);
      dripper.join(30_000);
    }
    Collections.sort(latencies);
    System.out.printf("%d slow-body connections opened (%d cut by the gateway); %d normal requests, %d failed, "
            + "latency p50 %d ms, max %d ms; most requests in flight on the instance: %d%n", opened.get(), cut.get(),
        latencies.size(), failures.size(), latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1),
        maxInFlight);
    assertThat(failures).as("normal requests that failed beside the slow bodies").isEmpty();
    assertThat(latencies).as("normal requests served").hasSizeGreaterThan(10);
    assertThat(maxInFlight).as("requests on the instance: the slow bodies hold none").isLessThan(10);
  }

  /**
   * Keeps {@link #SLOW_CONNECTIONS} POSTs announcing 4 KiB open (slowhttptest {@code -B}), one byte each every
   * 200 ms, from 100 loopback addresses; a connection the gateway cut is replaced.
   */
  static void drip(AtomicBoolean running, AtomicInteger opened, AtomicInteger cut) {
    Socket[] sockets = new Socket[SLOW_CONNECTIONS];
    try {
      while (running.get()) {
        for (int i = 0; i < sockets.length && running.get(); i++) {
          try {
            if (sockets[i] == null) {
              sockets[i] = new Socket();
              sockets[i].bind(new InetSocketAddress("127.0.1." + (1 + i % 100), 0));
              sockets[i].connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
              sockets[i].getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: slow-" + i
                  + "\r\nContent-Length: 4096\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
              opened.incrementAndGet();
            } else {
              sockets[i].getOutputStream().write('x');
            }
          } catch (IOException e) {
            cut.incrementAndGet();
            close(sockets[i]);
            sockets[i] = null;
          }
        }
        Thread.sleep(200); // the drip's pace, not a wait for a condition
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Socket s : sockets) {
        close(s);
      }
    }
  }

  @Test
  @Order(3)
  void aBigBodyHeldBackByASlowInstanceIsNotCutByTheBodyDeadline() throws Exception {
    int size = 64 << 20;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      long start = System.nanoTime();
      out.write(("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk);
      }
      long sendMs = (System.nanoTime() - start) / 1_000_000;
      String response = new String(readHeadAndBody(s.getInputStream()), StandardCharsets.ISO_8859_1);
      System.out.printf("64 MiB through an instance that paused %d ms: sent in %d ms, answered: %s%n",
          SINK_PAUSE_MS, sendMs, response.lines().findFirst().orElse(""));
      assertThat(sendMs).as("the paused instance held the client back (else nothing was tested)")
          .isGreaterThan(SINK_PAUSE_MS / 2);
      assertThat(response).startsWith("HTTP/1.1 200");
      assertThat(new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getLong("bytes"))
          .isEqualTo(size);
    }
  }

  static byte[] readHeadAndBody(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
      }
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return (head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  static int shopInFlight() {
    for (Object o : stack.adminGet("/v1/upstreams").json().getJsonArray("upstreams")) {
      JsonObject u = (JsonObject) o;
      if (u.encode().contains(String.valueOf(shop.port()))) {
        return u.getInteger("inFlight");
      }
    }
    return 0;
  }

  static void close(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a socket the gateway already closed
      }
    }
  }
}
