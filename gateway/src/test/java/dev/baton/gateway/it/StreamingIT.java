package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Responses stream through the gateway as their bytes arrive (gateway/README.md, "Streaming"): an instance
 * ({@link Drip}, in this JVM) sends a chunk every {@value #INTERVAL_MS} ms, and each chunk's delay from the moment
 * the instance sent it to the moment the client read it is measured directly and through the gateway. Each must
 * reach the client through the gateway well before the instance sends the next one: at most half an interval later
 * than it does directly (a bound no loaded machine should miss, and a relay that holds a chunk back until the next
 * one comes misses by a whole interval).
 */
class StreamingIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final int CHUNKS = 5;
  static final long INTERVAL_MS = 500;

  static Stack stack;
  static Vertx vertx;
  static Drip drip;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    vertx = Vertx.vertx();
    drip = new Drip(vertx, FreePorts.find());
    Stack.Instance i = new Stack.Instance("drip", "1.0.0", drip.port, "drip-1.0.0-it-" + drip.port, null);
    stack.register(i);
    stack.putSpec("drip", "{\"instances\":1,\"routing\":{\"hosts\":[],\"pathPrefix\":\"/drip\"}}");
    stack.startGateway(Map.of());
    stack.awaitInstances("drip", List.of(i.id()));
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  @Test
  void chunksOfAChunkedResponseArriveAsTheInstanceSendsThem() {
    streamsAsSent("");
  }

  @Test
  void serverSentEventsArriveAsTheInstanceSendsThem() {
    streamsAsSent("&sse=1");
  }

  private static void streamsAsSent(String query) {
    long[] direct = lags(drip.port, query);
    long[] gateway = lags(stack.gatewayPort, query);
    System.out.printf("chunk delay after the instance sent it, ms (%s, a chunk every %d ms)%n  direct:  %s%n"
        + "  gateway: %s%n", query.isEmpty() ? "chunked" : "text/event-stream", INTERVAL_MS, ms(direct), ms(gateway));
    for (int i = 0; i < CHUNKS; i++) {
      assertThat(gateway[i]).as("chunk %d: its delay through the gateway against directly (%s vs %s ms)", i,
          ms(gateway), ms(direct)).isLessThan(Math.max(direct[i], 0) + INTERVAL_MS * 1_000_000 / 2);
    }
  }

  /** Each chunk's delay (ns) from the instance's send to the client's read, for one request to {@code port}. */
  private static long[] lags(int port, String query) {
    String id = UUID.randomUUID().toString();
    long[] read = arrivals(port, "/drip/chunks?n=" + CHUNKS + "&ms=" + INTERVAL_MS + "&id=" + id + query);
    List<Long> sent = drip.sent(id);
    assertThat(sent).hasSize(CHUNKS);
    long[] lag = new long[CHUNKS];
    for (int i = 0; i < CHUNKS; i++) {
      lag[i] = read[i] - sent.get(i);
    }
    return lag;
  }

  /** GETs {@code path} on {@code port} and returns when ({@link System#nanoTime()}) each {@code chunk-i} was read. */
  private static long[] arrivals(int port, String path) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      long[] at = new long[CHUNKS];
      int next = 0;
      StringBuilder text = new StringBuilder();
      byte[] buf = new byte[4096];
      int n;
      while (next < CHUNKS && (n = in.read(buf)) >= 0) {
        long now = System.nanoTime();
        text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        while (next < CHUNKS && text.indexOf("chunk-" + next + "\n") >= 0) {
          at[next++] = now;
        }
      }
      assertThat(text.toString()).startsWith("HTTP/1.1 200");
      assertThat(next).as("chunks read: %s", text).isEqualTo(CHUNKS);
      return at;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Long> ms(long[] nanos) {
    List<Long> out = new ArrayList<>();
    for (long n : nanos) {
      out.add(n / 1_000_000);
    }
    return out;
  }
}
