package dev.baton.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LogStream} and {@link InstanceLog} on a real file served by a real Vert.x HTTP server: the last lines of a
 * log several read chunks long, a follow that sees appended lines and ends once the instance is over and the file
 * drained, and the quoted end of a log bounded in bytes.
 */
class LogStreamTest {

  static Vertx vertx;
  static HttpServer server;
  static Path log;
  static final AtomicBoolean ENDED = new AtomicBoolean();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** 5,000 lines of 100 bytes: ~500 KB, about eight reads of {@link InstanceLog#CHUNK}. */
  static final List<String> LINES = IntStream.range(0, 5_000)
      .mapToObj(i -> String.format("line %05d %s", i, "x".repeat(89))).toList();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    log = Files.createTempFile("instance", ".log");
    Files.writeString(log, String.join("\n", LINES) + "\n");
    server = await(vertx.createHttpServer().requestHandler(req -> LogStream.serve(vertx, log,
        Integer.parseInt(req.getParam("lines")), "true".equals(req.getParam("follow")),
        () -> Future.succeededFuture(ENDED.get()), req.response(), 20)).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    Files.deleteIfExists(log);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static HttpRequest request(String query) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/?" + query)).build();
  }

  @Test
  void theLastLinesOfALogManyChunksLongAreSentWhole() throws Exception {
    for (int n : new int[] {1, 700, 4_999, 5_000, 10_000}) {
      String body = HTTP.send(request("lines=" + n), HttpResponse.BodyHandlers.ofString()).body();
      List<String> expected = LINES.subList(Math.max(0, LINES.size() - n), LINES.size());
      assertThat(body).as("lines=" + n).isEqualTo(String.join("\n", expected) + "\n");
    }
    assertThat(HTTP.send(request("lines=0"), HttpResponse.BodyHandlers.ofString()).body()).isEmpty();
  }

  @Test
  void aFollowSendsWhatIsAppendedAndEndsOnceTheInstanceEndedAndTheFileIsDrained() throws Exception {
    Path followed = Files.createTempFile("follow", ".log");
    Files.writeString(followed, "before\n");
    HttpServer own = await(vertx.createHttpServer().requestHandler(req -> LogStream.serve(vertx, followed, 1, true,
        () -> Future.succeededFuture(ENDED.get()), req.response(), 20)).listen(0, "127.0.0.1"));
    try {
      HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + own.actualPort() + "/")).build(), HttpResponse.BodyHandlers.ofInputStream());
      List<String> seen = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> done = CompletableFuture.runAsync(() -> new java.io.BufferedReader(
          new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8)).lines().forEach(seen::add));
      Poll.until(Duration.ofSeconds(10), () -> seen.contains("before"), "the last line");
      Files.writeString(followed, "after 1\nafter 2\n", StandardOpenOption.APPEND);
      Poll.until(Duration.ofSeconds(10), () -> seen.contains("after 2"), "the appended lines (seen " + seen + ")");
      assertThat(done).isNotDone();

      Files.writeString(followed, "last words\n", StandardOpenOption.APPEND);
      ENDED.set(true);
      done.get(10, TimeUnit.SECONDS);
      assertThat(seen).containsExactly("before", "after 1", "after 2", "last words");
    } finally {
      ENDED.set(false);
      await(own.close());
      Files.deleteIfExists(followed);
    }
  }

  @Test
  void theQuotedEndOfALogIsItsLastLinesWithinTheByteBound() throws Exception {
    List<String> quoted = await(InstanceLog.lastLines(vertx, log, 20, 2048));
    assertThat(quoted).isEqualTo(LINES.subList(LINES.size() - 20, LINES.size()));
    List<String> bounded = await(InstanceLog.lastLines(vertx, log, 20, 1000));
    assertThat(bounded).isEqualTo(LINES.subList(LINES.size() - 9, LINES.size()));
    assertThat(bounded.stream().collect(Collectors.joining("\n")).length()).isLessThan(1000);
    assertThat(await(InstanceLog.lastLines(vertx, log.resolveSibling("no-such.log"), 20, 2048))).isEmpty();
  }
}
