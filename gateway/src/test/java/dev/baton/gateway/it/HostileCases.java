package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests: each gets its status (JSON from the gateway) and none reaches an
 * instance, proven from the instance's side: sample-app's {@code GET /orders} lists every
 * {@code Idempotency-Key} it accepted, and only the control request's key is there at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileCases {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static Stack.Instance shop;
  static Vertx vertx;
  /**
   * The WebSocket client of every test, held for the whole class: Vert.x 5 shuts a client down once it is
   * garbage collected, connections included, so a client nothing references can lose its handshake or its
   * session to any GC (then "Connection closed while handshake in process").
   */
  static WebSocketClient webSockets;
  static int echoPort;
  static int badHeadPort;
  static int dropPort;
  /** The body deadline of this stack: below its upstream timeout, so a stalled streaming body is the client's 408. */
  static final long BODY_TIMEOUT_MS = 500;
  /** What the flooding WebSocket instance wrote, and when its writes last made progress. */
  static final AtomicLong flooded = new AtomicLong();
  static volatile long floodProgressNanos;
  static volatile boolean floodStopped;
  /** Every path the echo instance was asked for, to prove that a request never reached it. */
  static final java.util.Set<String> echoPaths = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /**
   * What the kernel alone may hold between a flooding instance and a client that reads nothing: two TCP
   * connections (instance → gateway, gateway → client), each with a send and a receive buffer at their
   * autotuning maximum (tcp_wmem, tcp_rmem; 32 MiB of receive buffer here), plus 16 MiB for the queues of
   * Netty and Vert.x on the way. With back-pressure the instance stalls below this.
   */
  static final long BUFFER_BOUND = 2 * (sysctlMax("tcp_rmem") + sysctlMax("tcp_wmem")) + 16L * 1024 * 1024;
  /** Without back-pressure the gateway would take all of this, far above {@link #BUFFER_BOUND}. */
  static final long FLOOD_CAP = 4 * BUFFER_BOUND;

  /** {@code BATON_MAX_CLIENT_CONNECTIONS} of the suite's gateway; 127.0.0.1 is exempt by default, 127.0.0.2 is not. */
  static final int CLIENT_CAP = 20;

  static long sysctlMax(String name) {
    try {
      // a stream, not Files.readString: /proc files report size 0, and readString then returns one byte
      String[] v;
      try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/" + name))) {
        v = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      }
      return Long.parseLong(v[v.length - 1]);
    } catch (Exception e) {
      return 32L * 1024 * 1024;
    }
  }

  /** Writes 64 KB frames as fast as its socket takes them (waiting for drain when full), up to {@link #FLOOD_CAP}. */
  static void flood(ServerWebSocket ws) {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (!ws.writeQueueFull() && flooded.get() < FLOOD_CAP && !floodStopped) {
        ws.writeBinaryMessage(chunk);
        flooded.addAndGet(chunk.length());
        floodProgressNanos = System.nanoTime();
      }
      if (flooded.get() < FLOOD_CAP && !floodStopped) {
        ws.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
  }

  /** Starts the stack with the gateway on {@code transport} ({@code BATON_TRANSPORT}); each subclass's {@code @BeforeAll}. */
  static void startOn(String transport) throws Exception {
    stack = new Stack(CONSUL);
    shop = stack.instance("shop", "1.0.0");
    vertx = Vertx.vertx();
    webSockets = vertx.createWebSocketClient();
    echoPort = FreePorts.find();
    // An instance that echoes the request headers it received and sends a Connection-named header back.
    HttpServer echo = vertx.createHttpServer().webSocketHandler(ws -> {
      if (ws.path().endsWith("/flood")) {
        flood(ws);
      } else {
        ws.textMessageHandler(t -> ws.writeTextMessage("echo:" + t));
      }
    }).requestHandler(req -> {
      echoPaths.add(req.path());
      JsonObject headers = new JsonObject();
      req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
      req.response().putHeader("Connection", "X-Resp-Secret").putHeader("X-Resp-Secret", "leak")
          .putHeader("Content-Type", "application/json").end(headers.encode());
    });
    echo.listen(echoPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stack.register(new Stack.Instance("echo", "1.0.0", echoPort, "echo-1.0.0-it-" + echoPort, null));
    // An instance whose answers carry a header value with a bare CR (its health answer is clean).
    badHeadPort = FreePorts.find();
    vertx.createNetServer().connectHandler(so -> so.handler(buf -> {
      String head = buf.toString(StandardCharsets.ISO_8859_1);
      so.write(head.startsWith("GET /health ") ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
          : "HTTP/1.1 200 OK\r\nX-Bad: a\rSet-Cookie: injected=1\r\nContent-Length: 2\r\n\r\nok");
    })).listen(badHeadPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stack.register(new Stack.Instance("badhead", "1.0.0", badHeadPort, "badhead-1.0.0-it-" + badHeadPort, null));
    // An instance that passes its health check but drops every other connection without a byte.
    dropPort = FreePorts.find();
    vertx.createNetServer().connectHandler(so -> so.handler(buf -> {
      if (buf.toString(StandardCharsets.ISO_8859_1).startsWith("GET /health ")) {
        so.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      } else {
        so.close();
      }
    })).listen(dropPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stack.register(new Stack.Instance("drop", "1.0.0", dropPort, "drop-1.0.0-it-" + dropPort, null));
    stack.putSpec("drop", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/drop\"}}");
    stack.putSpec("badhead", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/badhead\"}}");
    stack.putSpec("shop", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/\"}}");
    stack.putSpec("echo", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/echo\"}}");
    stack.startGateway(Map.of("BATON_MAX_BODY_BYTES", "1024", "BATON_HEADER_TIMEOUT_MS", "1000",
        "BATON_MAX_URI_BYTES", "2048", "BATON_MAX_HEADER_BYTES", "4096", "BATON_UPSTREAM_TIMEOUT_MS", "1500",
        "BATON_TRANSPORT", transport, "BATON_BODY_TIMEOUT_MS", String.valueOf(BODY_TIMEOUT_MS),
        "BATON_BODY_MIN_RATE", "100", "BATON_BODY_RATE_GRACE_MS", "1000",
        "BATON_MAX_CLIENT_CONNECTIONS", String.valueOf(CLIENT_CAP)));
    stack.gateway.awaitLog(java.util.regex.Pattern.compile("network transport " + ("auto".equals(transport) ? "" : transport)),
        Stack.START);
    stack.awaitInstances("shop", List.of(shop.id()));
    stack.awaitInstances("echo", List.of("echo-1.0.0-it-" + echoPort));
    stack.awaitInstances("badhead", List.of("badhead-1.0.0-it-" + badHeadPort));
    stack.awaitInstances("drop", List.of("drop-1.0.0-it-" + dropPort));
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  static Stream<Arguments> hostile() {
    String big = "a".repeat(3000);
    return Stream.of(
        Arguments.of("CL and TE together", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h1\r\n"
            + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("duplicate Content-Length", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h2\r\n"
            + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        Arguments.of("unparsable Content-Length", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h3\r\n"
            + "Content-Length: 5x\r\n\r\nhello"),
        Arguments.of("bad chunk size", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h4\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("unknown transfer coding", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h5\r\n"
            + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("space before the colon of Transfer-Encoding", 400, "POST /orders HTTP/1.1\r\nHost: x\r\n"
            + "Idempotency-Key: h11\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("bare CR inside a header value", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h12\r\n"
            + "X-A: a\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("NUL inside a header value", 400, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h13\r\n"
            + "X-A: a\u0000b\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("header name that is not a token", 400, "POST /orders HTTP/1.1\r\nHost: x\r\n"
            + "Idempotency-Key: h14\r\nX(A): 1\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("control character in the request target", 400, "POST /or\u0001ders HTTP/1.1\r\nHost: x\r\n"
            + "Idempotency-Key: h15\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("CONNECT", 405, "CONNECT 127.0.0.1:" + "22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"),
        Arguments.of("absolute-form for a foreign host", 421, "POST http://evil.example/orders HTTP/1.1\r\n"
            + "Host: evil.example\r\nIdempotency-Key: h6\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("URI too long", 414, "POST /orders?x=" + big + " HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h7\r\n"
            + "Content-Length: 5\r\n\r\nhello"),
        Arguments.of("headers too large", 431, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h8\r\nX-Big: "
            + big + big + "\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("declared body too large", 413, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h9\r\n"
            + "Content-Length: 2048\r\n\r\n" + "b".repeat(2048)),
        Arguments.of("chunked body too large", 413, "POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: h10\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n400\r\n" + "c".repeat(1024) + "\r\n400\r\n" + "c".repeat(1024)
            + "\r\n0\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("hostile")
  @Order(1)
  void hostileRequestGetsItsStatusAsJsonAndTheConnectionCloses(String name, int status, String request) {
    String raw = Http.raw(stack.gatewayPort, request, Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as("%s: %s", name, raw).isEqualTo(status);
    String body = raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<'));
    JsonObject json = new JsonObject(body);
    assertThat(json.getString("error")).isNotBlank();
    assertThat(json.getString("message")).isNotBlank();
    assertThat(raw).as("connection closed after %s", name).endsWith("<EOF>");
  }

  @Test
  @Order(2)
  void slowlorisIsCutAtTheHeaderDeadline() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
      s.setSoTimeout(20);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      StringBuilder got = new StringBuilder();
      // Drip one header byte per read timeout (20 ms) until the gateway answers or 5 s pass. Bytes keep coming
      // while the gateway times the connection out: its lingering close must still deliver the 408 (a plain
      // close with unread input would reset the connection and could destroy the 408).
      boolean closed = dripUntilClosed(in, out, "a", got, Duration.ofSeconds(5));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(closed).as("connection closed").isTrue();
      assertThat(tookMs).as("cut near the 1 s deadline").isLessThan(3000);
      assertThat(got.toString()).startsWith("HTTP/1.1 408").contains("request_timeout");
    }
  }

  @Test
  @Order(3)
  void anIdleKeepAliveConnectionOutlivesTheHeaderDeadline() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
      String get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
      s.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
      s.setSoTimeout(2000);
      // No byte for 2 s (twice the header deadline): the read times out, the connection stays open.
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.getInputStream().read()))
          .isInstanceOf(SocketTimeoutException.class);
      s.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  @Order(4)
  void connectionNamedAndForwardedHeadersAreCleanedBothWays() {
    String raw = Http.raw(stack.gatewayPort, "GET /echo HTTP/1.1\r\nHost: shop.example.com\r\n"
        + "Connection: close, X-Secret\r\nX-Secret: s3cret\r\nKeep-Alive: timeout=5\r\n"
        + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: bank.example\r\n"
        + "X-Forwarded-Proto: https\r\nForwarded: for=6.6.6.6\r\nX-Request-Id: r-1\r\n\r\n", Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as(raw).isEqualTo(200);
    String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head).doesNotContain("x-resp-secret").contains("x-baton-version: 1.0.0");
    JsonObject seen = new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
    assertThat(seen.fieldNames()).doesNotContain("x-secret", "keep-alive", "proxy-authorization", "forwarded");
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("shop.example.com");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("host")).isEqualTo("shop.example.com");
    assertThat(seen.getString("x-request-id")).isEqualTo("r-1");
  }

  @Test
  @Order(5)
  void webSocketUpgradePassesThrough() throws Exception {
    var ws = webSockets.connect(stack.gatewayPort, "127.0.0.1", "/echo/ws").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    var reply = new java.util.concurrent.CompletableFuture<String>();
    ws.textMessageHandler(reply::complete);
    ws.writeTextMessage("hi");
    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo:hi");
    ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(5)
  void aWebSocketClientThatDoesNotReadHoldsTheInstanceBackInsteadOfFillingTheGateway() throws Exception {
    var ws = webSockets.connect(stack.gatewayPort, "127.0.0.1", "/echo/flood").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.pause();
    try {
      Poll.until(Duration.ofSeconds(20), () -> flooded.get() > 0
          && System.nanoTime() - floodProgressNanos > TimeUnit.MILLISECONDS.toNanos(500), "the instance's writes stall");
      assertThat(flooded.get()).as("bytes the instance could write to a client that reads nothing (buffers only)")
          .isLessThan(BUFFER_BOUND);
    } finally {
      floodStopped = true;
      ws.resume();
      ws.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void aWebSocketHandshakeTheInstanceDropsGets502AsJson() throws Exception {
    Throwable e = webSockets.connect(stack.gatewayPort, "127.0.0.1", "/drop/ws").toCompletionStage()
        .toCompletableFuture().handle((ws, t) -> t).get(10, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(UpgradeRejectedException.class);
    UpgradeRejectedException rejected = (UpgradeRejectedException) e;
    assertThat(rejected.getStatus()).isEqualTo(502);
    assertThat(new JsonObject(rejected.getBody()).getString("error")).isEqualTo("upstream_unavailable");
  }

  @Test
  @Order(6)
  void anInvalidResponseHeadFromAnInstanceIsNotRelayed() {
    Http.Reply r = stack.http.get(stack.url("/badhead/x"));
    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(r.json().getString("error")).as(r.body()).isNotBlank();
    assertThat(r.headers().keySet()).as("nothing of the bad head reached the client").doesNotContain("set-cookie", "x-bad");
  }

  @Test
  @Order(6)
  void anInstanceThatDoesNotAnswerInTimeGets504() {
    Http.Reply r = stack.http.get(stack.url("/slow?ms=4000"));
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.json().getString("error")).isEqualTo("upstream_timeout");
  }

  @Test
  @Order(7)
  void nothingHostileReachedTheInstance() {
    Http.Reply control = stack.http.send("POST", stack.url("/orders"), "hello", "Idempotency-Key", "control");
    assertThat(control.status()).isEqualTo(201);
    Poll.until(Duration.ofSeconds(5), () -> stack.http.get("http://127.0.0.1:" + shop.port() + "/orders").json()
        .getJsonObject("keys").containsKey("control"), "the control order was recorded");
    JsonObject keys = stack.http.get("http://127.0.0.1:" + shop.port() + "/orders").json().getJsonObject("keys");
    assertThat(keys.getMap()).as("keys the instance accepted").containsOnlyKeys("control");
  }

  // --- protocol: nothing read after a closing refusal, Host rules (RFC 9112 §3.2), unsupported versions → 505 ---

  /** Requests the gateway refuses and closes the connection after; each is followed by a smuggled GET. */
  static Stream<Arguments> refusedThenSmuggled() {
    String big = "a".repeat(3000);
    return Stream.of(
        Arguments.of("absolute-form for a foreign host", 421, "GET http://evil.example/echo/a HTTP/1.1\r\n"
            + "Host: evil.example\r\n\r\n"),
        Arguments.of("OPTIONS *", 400, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("Transfer-Encoding: identity", 400, "POST /echo/a HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: identity\r\n\r\n"),
        Arguments.of("Transfer-Encoding: xchunked with a last chunk", 400, "POST /echo/a HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("CONNECT", 405, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"),
        Arguments.of("CL and TE together", 400, "POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("control character in the target", 400, "GET /echo/\u0001 HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("declared body too large", 413, "POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n"
            + "b".repeat(2048)),
        Arguments.of("chunked body too large", 413, "POST /echo/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
            + "\r\n\r\n800\r\n" + "c".repeat(2048) + "\r\n0\r\n\r\n"),
        Arguments.of("URI too long", 414, "GET /echo/a?x=" + big + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("headers too large", 431, "GET /echo/a HTTP/1.1\r\nHost: x\r\nX-Big: " + big + big + "\r\n\r\n"),
        Arguments.of("duplicate Host", 400, "GET /echo/a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
        Arguments.of("invalid Host", 400, "GET /echo/a HTTP/1.1\r\nHost: x/y\r\n\r\n"),
        Arguments.of("missing Host on HTTP/1.1", 400, "GET /echo/a HTTP/1.1\r\nAccept: */*\r\n\r\n"),
        Arguments.of("HTTP/1.2", 505, "GET /echo/a HTTP/1.2\r\nHost: x\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("refusedThenSmuggled")
  @Order(8)
  void aRefusalThatClosesAnswersOnceAndReadsNothingMore(String name, int status, String request) {
    String smuggled = "/echo/smuggled-" + Integer.toHexString(name.hashCode());
    String raw = Http.raw(stack.gatewayPort, request + "GET " + smuggled + " HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as("%s: %s", name, raw).isEqualTo(status);
    assertThat(responses(raw)).as("responses to %s: %s", name, raw).isEqualTo(1);
    assertThat(raw).as("connection closed after %s", name).endsWith("<EOF>");
    String control = "/echo/control-" + Integer.toHexString(name.hashCode());
    assertThat(stack.http.get(stack.url(control)).status()).isEqualTo(200);
    assertThat(echoPaths).as("paths the instance received").contains(control).doesNotContain(smuggled);
  }

  @Test
  @Order(8)
  void pipelinedGoodRequestsAreAllAnswered() {
    String raw = Http.raw(stack.gatewayPort, "GET /echo/p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/p2 HTTP/1.1\r\n"
        + "Host: x\r\n\r\nGET /echo/p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
    assertThat(responses(raw)).as(raw).isEqualTo(3);
    assertThat(raw).startsWith("HTTP/1.1 200").endsWith("<EOF>");
    assertThat(echoPaths).contains("/echo/p1", "/echo/p2", "/echo/p3");
  }

  static Stream<Arguments> badHosts() {
    return Stream.of(
        Arguments.of("duplicate Host", "Host: x\r\nHost: x\r\n"),
        Arguments.of("two values in one Host", "Host: x, y\r\n"),
        Arguments.of("a path in Host", "Host: x/y\r\n"),
        Arguments.of("userinfo in Host", "Host: user@x\r\n"),
        Arguments.of("a space in Host", "Host: x y\r\n"),
        Arguments.of("a port that is not a number", "Host: x:http\r\n"),
        Arguments.of("a port out of range", "Host: x:65536\r\n"),
        Arguments.of("an unclosed IPv6 literal", "Host: [::1\r\n"),
        Arguments.of("missing Host", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHosts")
  @Order(8)
  void aMissingDuplicateOrInvalidHostGets400AsJson(String name, String hostLines) {
    String raw = Http.raw(stack.gatewayPort, "GET /echo/host HTTP/1.1\r\n" + hostLines + "Accept: */*\r\n\r\n",
        Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as("%s: %s", name, raw).isEqualTo(400);
    JsonObject json = new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
    assertThat(json.getString("error")).as(raw).isEqualTo("bad_host");
    assertThat(raw).endsWith("<EOF>");
    assertThat(echoPaths).doesNotContain("/echo/host");
  }

  @Test
  @Order(8)
  void validHostsAreServed() {
    for (String host : List.of("x", "shop.example.com:8080", "127.0.0.1", "[::1]:80", "xn--bcher-kva.example",
        "SHOP.Example.COM.")) {
      String raw = Http.raw(stack.gatewayPort, "GET /echo/valid HTTP/1.1\r\nHost: " + host + "\r\n"
          + "Connection: close\r\n\r\n", Duration.ofSeconds(5));
      assertThat(Http.status(raw)).as("%s: %s", host, raw).isEqualTo(200);
    }
  }

  @Test
  @Order(8)
  void http10WithoutHostIsServedWithTheInstanceAddressAsHost() {
    String raw = Http.raw(stack.gatewayPort, "GET /echo/h10 HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as(raw).isEqualTo(200);
    assertThat(raw).startsWith("HTTP/1.0 200").endsWith("<EOF>");
    JsonObject seen = new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
    assertThat(seen.getString("host")).isEqualTo("127.0.0.1:" + echoPort);
    assertThat(seen.fieldNames()).doesNotContain("x-forwarded-host");
  }

  @Test
  @Order(8)
  void absoluteFormSendsTheUrlsAuthorityAsHostAndForwardedHost() {
    String authority = "127.0.0.1:" + stack.gatewayPort;
    String raw = Http.raw(stack.gatewayPort, "GET http://" + authority + "/echo/abs?q=1 HTTP/1.1\r\n"
        + "Host: client.example\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as(raw).isEqualTo(200);
    JsonObject seen = new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
    assertThat(seen.getString("host")).isEqualTo(authority);
    assertThat(seen.getString("x-forwarded-host")).isEqualTo(authority);
    assertThat(echoPaths).contains("/echo/abs");
  }

  static Stream<Arguments> unsupportedVersions() {
    return Stream.of(
        Arguments.of("HTTP/2 prior-knowledge preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
            + "\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000"),
        Arguments.of("HTTP/1.2", "GET /echo/v HTTP/1.2\r\nHost: x\r\n\r\n"),
        Arguments.of("HTTP/3.0", "GET /echo/v HTTP/3.0\r\nHost: x\r\n\r\n"),
        Arguments.of("HTTP/2.0", "GET /echo/v HTTP/2.0\r\nHost: x\r\n\r\n"),
        Arguments.of("lower-case name", "GET /echo/v http/1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("garbage", "GET /echo/v HTTP/1.1.1\r\nHost: x\r\n\r\n"),
        Arguments.of("not HTTP", "GET /echo/v FOO/1.1\r\nHost: x\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedVersions")
  @Order(8)
  void anUnsupportedVersionGets505AsJsonAndTheConnectionCloses(String name, String request) {
    String raw = Http.raw(stack.gatewayPort, request + "GET /echo/after-version HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration.ofSeconds(5));
    assertThat(raw).as("%s: %s", name, raw).startsWith("HTTP/1.1 505 ");
    JsonObject json = new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
    assertThat(json.getString("error")).isEqualTo("http_version_not_supported");
    assertThat(json.getString("message")).isNotBlank();
    assertThat(responses(raw)).as(raw).isEqualTo(1);
    assertThat(raw).endsWith("<EOF>");
    assertThat(echoPaths).doesNotContain("/echo/v", "/echo/after-version");
  }

  @Test
  @Order(8)
  void theAdminPortAnswersAnUnsupportedVersionWith505AndReadsNothingAfter() {
    String raw = Http.raw(stack.adminPort, "GET /health HTTP/1.2\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\n"
        + "Host: x\r\n\r\n", Duration.ofSeconds(5));
    assertThat(raw).as(raw).startsWith("HTTP/1.1 505 ").contains("http_version_not_supported").endsWith("<EOF>");
    assertThat(responses(raw)).as(raw).isEqualTo(1);
  }

  @Test
  @Order(8)
  void http10KeepsWorking() {
    String raw = Http.raw(stack.gatewayPort, "GET /echo/h10 HTTP/1.0\r\nHost: x\r\n\r\n", Duration.ofSeconds(5));
    assertThat(raw).as(raw).startsWith("HTTP/1.0 200").endsWith("<EOF>");
  }

  /** How many responses {@code raw} holds: status lines, wherever a previous body ended. */
  private static int responses(String raw) {
    return (int) java.util.regex.Pattern.compile("HTTP/\\d\\.\\d \\d{3} ").matcher(raw).results().count();
  }

  // limits: connection caps per client address (gateway/README.md, "Connection limits")

  @Test
  @Order(6)
  void anAddressBeyondItsConnectionCapIsClosedAtOnceWhileOtherAddressesAreServed() throws Exception {
    List<Socket> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < CLIENT_CAP; i++) {
        held.add(servedFrom("127.0.0.2"));
      }
      try (Socket over = from("127.0.0.2")) {
        String got;
        try {
          over.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          got = readResponse(over);
        } catch (java.io.IOException reset) {
          got = "";
        }
        assertThat(got).as("connection %d from one address: closed without a response", CLIENT_CAP + 1).isEmpty();
      }
      servedFrom("127.0.0.3").close();
      servedFrom("127.0.0.1").close();
      held.remove(0).close();
      Poll.until(Duration.ofSeconds(10), () -> {
        try (Socket again = from("127.0.0.2")) {
          again.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          return readResponse(again).startsWith("HTTP/1.1 200");
        } catch (java.io.IOException e) {
          return false;
        }
      }, "a connection from 127.0.0.2 is served again once one of its connections closed");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static Socket from(String localAddress) throws java.io.IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(localAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
    return s;
  }

  /** A keep-alive connection from {@code localAddress} that got a 200, left open. */
  private static Socket servedFrom(String localAddress) throws java.io.IOException {
    Socket s = from(localAddress);
    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(readResponse(s)).as("served from %s", localAddress).startsWith("HTTP/1.1 200");
    return s;
  }

  // bodies: request body read deadline and minimum rate (docs/ARCHITECTURE.md, Gateway, "Request bodies")

  static Stream<Arguments> stalledBodies() {
    return Stream.of(
        Arguments.of("buffered (Content-Length)", "Content-Length: 100\r\n\r\n" + "x".repeat(10)),
        Arguments.of("streamed (chunked)", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stalledBodies")
  @Order(6)
  void aBodyThatStopsArrivingGets408AndTheConnectionCloses(String name, String rest) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
      s.getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: stalled-" + name.charAt(0)
          + "\r\n" + rest).getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      String response = readResponse(s);
      System.out.printf("stalled %s body answered after %d ms%n", name, (System.nanoTime() - start) / 1_000_000);
      assertThat(response).as(name).startsWith("HTTP/1.1 408").contains("request_timeout", "BATON_BODY_TIMEOUT_MS");
      assertThat(s.getInputStream().read()).as("connection closed after the 408").isEqualTo(-1);
    }
  }

  static Stream<Arguments> drippingBodies() {
    return Stream.of(
        Arguments.of("buffered (Content-Length)", "Content-Length: 1000\r\n\r\n", "x"),
        Arguments.of("streamed (chunked)", "Transfer-Encoding: chunked\r\n\r\n", "1\r\nx\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drippingBodies")
  @Order(6)
  void aBodyThatDripsBelowTheMinimumRateGets408(String name, String head, String drip) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", stack.gatewayPort), 2000);
      s.setSoTimeout(100);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("POST /orders HTTP/1.1\r\nHost: x\r\nIdempotency-Key: drip-" + name.charAt(0) + "\r\n" + head)
          .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      StringBuilder got = new StringBuilder();
      // A byte every 100 ms (10 bytes/s, never a 500 ms gap) for up to 10 s, until the gateway answers and closes.
      boolean closed = dripUntilClosed(in, out, drip, got, Duration.ofSeconds(10));
      System.out.printf("dripping %s body cut after %d ms%n", name, (System.nanoTime() - start) / 1_000_000);
      assertThat(closed).as("connection closed").isTrue();
      assertThat(got.toString()).as(name).startsWith("HTTP/1.1 408").contains("request_timeout", "BATON_BODY_MIN_RATE");
    }
  }

  /**
   * Reads what the gateway sends into {@code got}; each time a read times out (the socket's SO_TIMEOUT sets the
   * pace) writes {@code drip}. True once the gateway closed the connection, false if {@code max} passed first.
   */
  private static boolean dripUntilClosed(InputStream in, OutputStream out, String drip, StringBuilder got,
      Duration max) throws java.io.IOException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < max.toNanos()) {
      try {
        int n = in.read();
        if (n < 0) {
          return true;
        }
        got.append((char) n);
      } catch (SocketTimeoutException e) {
        try {
          out.write(drip.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (java.io.IOException gone) {
          return true;
        }
      }
    }
    return false;
  }

  private static String readResponse(Socket s) throws java.io.IOException {
    s.setSoTimeout(5000);
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    int contentLength = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return sb.toString();
      }
      sb.append((char) c);
      if (sb.toString().endsWith("\r\n\r\n")) {
        for (String line : sb.toString().split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
        break;
      }
    }
    byte[] body = in.readNBytes(Math.max(contentLength, 0));
    return sb + new String(body, StandardCharsets.UTF_8);
  }
}
