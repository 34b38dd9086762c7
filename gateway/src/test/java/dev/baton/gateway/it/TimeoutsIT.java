package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which timeout runs when (gateway/README.md, "Timeouts"): the client connection's idle timeout
 * ({@code BATON_IDLE_TIMEOUT_S}) never while the gateway waits on the instance or streams its response, only on a
 * connection with no request in hand; {@code BATON_UPSTREAM_TIMEOUT_MS} bounds the instance's silence and ends in
 * the documented 504 JSON. Three gateways on one instance ({@link Drip}): idle 2 s with upstream 5 s, upstream
 * 1.5 s with the default idle timeout, and both at 2 s (equal, as the 60 s defaults are).
 */
class TimeoutsIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static Vertx vertx;
  static int shortIdle;
  static int shortUpstream;
  static int equal;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    vertx = Vertx.vertx();
    Drip drip = new Drip(vertx, FreePorts.find());
    Stack.Instance i = new Stack.Instance("drip", "1.0.0", drip.port, "drip-1.0.0-it-" + drip.port, null);
    stack.register(i);
    stack.putSpec("drip", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/drip\"}}");
    stack.startGateway(Map.of("BATON_IDLE_TIMEOUT_S", "2", "BATON_UPSTREAM_TIMEOUT_MS", "5000"));
    shortIdle = stack.gatewayPort;
    stack.awaitInstances("drip", List.of(i.id()));
    stack.startGateway(Map.of("BATON_UPSTREAM_TIMEOUT_MS", "1500"));
    shortUpstream = stack.gatewayPort;
    stack.awaitInstances("drip", List.of(i.id()));
    // Equal timeouts, as the defaults are (60 s each, GatewaySettingsTest), at a scale a test can wait for.
    stack.startGateway(Map.of("BATON_IDLE_TIMEOUT_S", "2", "BATON_UPSTREAM_TIMEOUT_MS", "2000"));
    equal = stack.gatewayPort;
    stack.awaitInstances("drip", List.of(i.id()));
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  @Test
  void aRequestWaitingOnTheInstanceLongerThanTheIdleTimeoutGetsItsAnswer() {
    Timed r = get(shortIdle, "/drip/slow?ms=3000", Duration.ofSeconds(20));
    System.out.printf("idle 2 s, upstream 5 s: a 3 s request answered %d after %d ms%n", Http.status(r.raw), r.ms);
    assertThat(Http.status(r.raw)).as(r.raw).isEqualTo(200);
    assertThat(r.raw).contains("slept 3000");
  }

  @Test
  void aStreamPausingLongerThanTheIdleTimeoutIsRelayedWhole() {
    Timed r = get(shortIdle, "/drip/chunks?n=3&ms=2500&id=pauses", Duration.ofSeconds(30));
    System.out.printf("idle 2 s: a response pausing 2.5 s between chunks ended after %d ms%n", r.ms);
    assertThat(Http.status(r.raw)).as(r.raw).isEqualTo(200);
    assertThat(r.raw).contains("chunk-0\n", "chunk-1\n", "chunk-2\n").contains("\r\n0\r\n\r\n<EOF>");
  }

  @Test
  void anIdleKeepAliveConnectionIsStillClosedAfterTheIdleTimeout() throws IOException {
    try (Socket s = new Socket("127.0.0.1", shortIdle)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET /drip/slow?ms=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
      in.readNBytes("slept 1".length());
      long answered = System.nanoTime();
      int next = in.read();
      long idleMs = (System.nanoTime() - answered) / 1_000_000;
      System.out.printf("idle 2 s: a keep-alive connection without a request was closed after %d ms%n", idleMs);
      assertThat(next).as("the connection was closed, nothing more sent").isEqualTo(-1);
      assertThat(idleMs).as("not closed before its idle timeout (2 s)").isGreaterThanOrEqualTo(1500);
    }
  }

  @Test
  void anInstanceSilentPastTheUpstreamTimeoutGets504AsJson() {
    Timed r = get(shortUpstream, "/drip/slow?ms=4000", Duration.ofSeconds(20));
    System.out.printf("upstream 1.5 s, idle 60 s: a 4 s request answered %d after %d ms%n", Http.status(r.raw), r.ms);
    assertThat(Http.status(r.raw)).as(r.raw).isEqualTo(504);
    assertThat(r.ms).as("answered before the instance would have").isLessThan(4000);
    assertThat(json(r.raw).getString("error")).isEqualTo("upstream_timeout");
  }

  /**
   * With equal timeouts, as the defaults are (60 s each), the upstream timeout's 504 comes, not a closed connection:
   * the run had no answer at all at 60 s. Scaled down to 2 s here.
   */
  @Test
  void withEqualTimeoutsARequestLongerThanBothGets504() {
    Timed r = get(equal, "/drip/slow?ms=3500", Duration.ofSeconds(30));
    System.out.printf("equal timeouts (idle 2 s, upstream 2 s, as the defaults' 60 s and 60 s): a 3.5 s request "
        + "answered %d after %d ms%n", Http.status(r.raw), r.ms);
    assertThat(Http.status(r.raw)).as(r.raw).isEqualTo(504);
    assertThat(json(r.raw).getString("error")).isEqualTo("upstream_timeout");
  }

  /** A raw response and how long it took, from sending the request to the connection's close. */
  record Timed(String raw, long ms) {
  }

  static Timed get(int port, String path, Duration wait) {
    long t0 = System.nanoTime();
    String raw = Http.raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", wait);
    return new Timed(raw, (System.nanoTime() - t0) / 1_000_000);
  }

  static JsonObject json(String raw) {
    String body = raw.substring(raw.indexOf("\r\n\r\n") + 4).replace("<EOF>", "");
    return new JsonObject(body);
  }

  static String readHead(InputStream in) {
    StringBuilder sb = new StringBuilder();
    try {
      int c;
      while ((c = in.read()) >= 0) {
        sb.append((char) c);
        if (sb.length() >= 4 && sb.lastIndexOf("\r\n\r\n") == sb.length() - 4) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }
}
