package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the two built jars as real processes, the way an agent runs them. */
class SampleAppIT {

  private static final Path V1 = Path.of(System.getProperty("sample.jar.v1", "target/sample-app-1.0.0.jar"));
  private static final Path V2 = Path.of(System.getProperty("sample.jar.v2", "target/sample-app-2.0.0.jar"));
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final List<AppProcess> apps = new ArrayList<>();

  @AfterEach
  void killEveryProcess() {
    apps.forEach(AppProcess::close);
  }

  @Test
  void eachArtifactReportsItsOwnVersionAndTheyDifferInDigest() throws Exception {
    assertThat(sha256(V1)).isNotEqualTo(sha256(V2));

    for (var artifact : Map.of(V1, "1.0.0", V2, "2.0.0").entrySet()) {
      AppProcess app = launched(artifact.getKey(), Map.of("BATON_INSTANCE_ID", "it-" + artifact.getValue(),
          "SAMPLE_FLAG", "x-" + artifact.getValue()));
      String version = artifact.getValue();
      assertThat(app.output()).contains("sample-app " + version + " listening on 127.0.0.1:" + app.port());

      HttpResponse<String> root = get(app, "/");
      assertThat(root.statusCode()).isEqualTo(200);
      assertThat(root.headers().firstValue("X-App-Version")).hasValue(version);
      JsonObject body = new JsonObject(root.body());
      assertThat(body.getString("app")).isEqualTo("sample-app");
      assertThat(body.getString("version")).isEqualTo(version);
      assertThat(body.getString("instance")).isEqualTo("it-" + version);
      assertThat(body.getString("host")).isNotBlank();

      HttpResponse<String> health = get(app, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(health.body()))
          .isEqualTo(new JsonObject().put("status", "UP").put("version", version));

      HttpResponse<String> config = get(app, "/config");
      assertThat(new JsonObject(config.body())).as("only SAMPLE_* variables are shown").isEqualTo(new JsonObject()
          .put("version", version).put("env", new JsonObject().put("SAMPLE_FLAG", "x-" + version)));
    }
  }

  @Test
  void sigtermFinishesInFlightRequestRefusesNewConnectionsAndExitsZero() throws Exception {
    AppProcess app = launched(V2, Map.of());
    CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
        HttpRequest.newBuilder(app.uri("/slow?ms=3000")).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    app.awaitOutput("slow request started (3000 ms)", TIMEOUT);

    app.terminate();
    app.awaitOutput("draining", TIMEOUT);

    assertThat(refusesNewConnections(app.port(), Duration.ofSeconds(5))).isTrue();
    assertThat(slow).as("slow request still draining when new connections are refused").isNotDone();
    HttpResponse<String> drained = slow.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(drained.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(drained.body()).getString("version")).isEqualTo("2.0.0");
    assertThat(drained.headers().firstValue("Connection")).hasValue("close");
    assertThat(app.awaitExit(TIMEOUT)).isZero();
    assertThat(app.output()).contains("sample-app 2.0.0 stopped");
  }

  @Test
  void failRateOneAnswersEveryFaultyPathWith500ButHealthStaysUp() throws Exception {
    AppProcess app = launched(V1, Map.of("FAIL_RATE", "1"));

    for (HttpRequest request : List.of(
        HttpRequest.newBuilder(app.uri("/")).build(),
        HttpRequest.newBuilder(app.uri("/slow?ms=1")).build(),
        HttpRequest.newBuilder(app.uri("/orders")).build(),
        HttpRequest.newBuilder(app.uri("/orders")).header("Idempotency-Key", "k1")
            .POST(HttpRequest.BodyPublishers.noBody()).build())) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(request.uri().toString()).isEqualTo(500);
      assertThat(response.headers().firstValue("X-App-Version")).hasValue("1.0.0");
      assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("injected_failure");
    }
    assertThat(get(app, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void unhealthyKnobTurnsHealthTo503Down() throws Exception {
    AppProcess app = launched(V1, Map.of("UNHEALTHY", "true"));

    HttpResponse<String> health = get(app, "/health");

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(health.body()))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("version", "1.0.0"));
    assertThat(get(app, "/").statusCode()).isEqualTo(200);
  }

  @Test
  void ordersCountsEachIdempotencyKeyAndRejectsPostsWithoutOne() throws Exception {
    AppProcess app = launched(V2, Map.of());

    assertThat(postOrder(app, "a").body()).isEqualTo(
        new JsonObject().put("key", "a").put("version", "2.0.0").put("count", 1).encode());
    assertThat(new JsonObject(postOrder(app, "a").body()).getInteger("count")).isEqualTo(2);
    HttpResponse<String> b = postOrder(app, "b");
    assertThat(b.statusCode()).isEqualTo(201);

    HttpResponse<String> missing = http.send(
        HttpRequest.newBuilder(app.uri("/orders")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("missing_idempotency_key");

    HttpResponse<String> orders = get(app, "/orders");
    assertThat(orders.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(orders.body()))
        .isEqualTo(new JsonObject().put("keys", new JsonObject().put("a", 2).put("b", 1)));
  }

  @Test
  void badSlowParameterIs400AndUnknownPathIs404WithTheErrorShape() throws Exception {
    AppProcess app = launched(V1, Map.of("LATENCY_MS", "5"));

    for (String path : List.of("/slow", "/slow?ms=soon", "/slow?ms=-1")) {
      HttpResponse<String> response = get(app, path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(new JsonObject(response.body()).fieldNames()).containsExactlyInAnyOrder("error", "message");
    }
    HttpResponse<String> missing = get(app, "/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-App-Version")).hasValue("1.0.0");
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("not_found");
    assertThat(new JsonObject(missing.body()).getString("message")).contains("/nope");
  }

  @ParameterizedTest(name = "{0}={1} exits 2")
  @CsvSource({"FAIL_RATE, lots", "LATENCY_MS, -1", "UNHEALTHY, maybe", "PORT, http"})
  void malformedKnobExitsWithStatus2AndNamesTheVariable(String name, String value) throws Exception {
    AppProcess app = AppProcess.start(V1, Map.of(name, value));
    apps.add(app);

    assertThat(app.awaitExit(TIMEOUT)).isEqualTo(2);
    app.awaitOutput(name + " must be", TIMEOUT);
  }

  private AppProcess launched(Path jar, Map<String, String> env) throws IOException {
    AppProcess app = AppProcess.start(jar, env);
    apps.add(app);
    app.awaitOutput(" listening on 127.0.0.1:" + app.port(), TIMEOUT);
    return app;
  }

  private HttpResponse<String> get(AppProcess app, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(app.uri(path)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postOrder(AppProcess app, String key) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(app.uri("/orders")).timeout(TIMEOUT)
            .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls fresh TCP connects until one is refused or the deadline passes. */
  private static boolean refusesNewConnections(int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (ConnectException refused) {
        return true;
      } catch (SocketException resetWhileTheListenerCloses) {
        // accepted into the backlog just as the socket closed: not yet a refusal, try again
      }
      Thread.onSpinWait();
    }
    return false;
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
