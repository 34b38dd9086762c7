package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The copy of an instance's response head into the client's response, on a response a real Vert.x client decoded
 * from a real server: the same fields, values and order as {@link MultiMap#setAll}, with the names Netty decoded
 * kept as they are (no String per name).
 */
class HeaderCopyTest {

  private static Vertx vertx;
  private static HttpClientAgent client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      req.response().headers().add("Vary", "Accept").add("Vary", "Origin");
      req.response()
          .putHeader("Content-Type", "text/plain")
          .putHeader("Set-Cookie", List.<String>of("a=1", "b=2"))
          .putHeader("X-Mixed-CASE", "Value With Spaces")
          .putHeader("Connection", "keep-alive, X-Private")
          .putHeader("X-Private", "secret")
          .putHeader("Keep-Alive", "timeout=5")
          .end("ok");
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static MultiMap upstreamHeaders() throws Exception {
    HttpClientResponse r = client.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(port)
            .setHost("127.0.0.1").setURI("/"))
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp)))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return r.headers();
  }

  private static List<String> entries(MultiMap m) {
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + ": " + v));
    return out;
  }

  @Test
  void copiesWhatSetAllCopiesWithoutStringNames() throws Exception {
    assertThat(HeaderCopy.direct()).as("the Netty headers behind Vert.x's adaptor are readable").isTrue();
    MultiMap from = upstreamHeaders();
    MultiMap expected = HttpHeaders.headers().add("X-Stale", "gone");
    expected.setAll(from);
    MultiMap copy = HttpHeaders.headers().add("X-Stale", "gone");

    HeaderCopy.replace(copy, from);

    assertThat(entries(copy)).isEqualTo(entries(expected)).contains("Set-Cookie: a=1", "Set-Cookie: b=2",
        "X-Mixed-CASE: Value With Spaces", "Vary: Accept", "Vary: Origin").noneMatch(e -> e.startsWith("X-Stale"));
    assertThat(copy.getAll("set-cookie")).containsExactly("a=1", "b=2");
    Iterator<Map.Entry<CharSequence, CharSequence>> it =
        ((io.netty.handler.codec.http.HttpHeaders) copy).iteratorCharSequence();
    while (it.hasNext()) {
      assertThat(it.next().getKey()).isInstanceOf(AsciiString.class);
    }
  }

  @Test
  void hopByHopRulesApplyToTheCopy() throws Exception {
    MultiMap copy = HttpHeaders.headers();
    HeaderCopy.replace(copy, upstreamHeaders());

    HeaderHygiene.stripHopByHop(copy, false);

    assertThat(copy.contains("X-Private")).isFalse();
    assertThat(copy.contains("Connection")).isFalse();
    assertThat(copy.contains("Keep-Alive")).isFalse();
    assertThat(copy.get("content-type")).isEqualTo("text/plain");
    assertThat(copy.get("content-length")).isEqualTo("2");
  }

  @Test
  void aVertxMapIsCopiedBySetAll() {
    MultiMap from = HttpHeaders.headers().add("A", "1").add("a", "2").add("B", "3");
    MultiMap copy = HttpHeaders.headers().add("C", "4");

    HeaderCopy.replace(copy, from);

    assertThat(entries(copy)).containsExactly("A: 1", "a: 2", "B: 3");
  }
}
