package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every HTTP surface of a running fleet against every credential (docs/ARCHITECTURE.md "Configuration"): no token,
 * the read token, the operator token, a wrong token. Refused writes change nothing; the operator's writes go
 * through (a release that downloads its artifact from the registry with the agent's registry token, an instance
 * started directly on the agent). The matrix is printed to stdout.
 */
class RefusalMatrixIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final List<String> CREDENTIALS = List.of("no token", "read token", "operator token", "wrong token");
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  static Stack stack;
  static StackFixture given;

  /** One cell: the status and the error code of a refusal (null when answered). */
  record Cell(int status, String error) {
    @Override
    public String toString() {
      return error == null ? String.valueOf(status) : status + " " + error;
    }
  }

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 1).start();
    given = new StackFixture(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everySurfaceAnswersEachCredentialAsDocumentedAndRefusalsChangeNothing() {
    given.givenApp("matrix", 1, Map.of());
    String registry = stack.registry().url();
    String agent = stack.agent().url();
    String admin = stack.gateway().adminUrl();
    String sha = sha256(Repo.path("sample-app/target/sample-app-1.0.0.jar"));
    String startBody = startRequest(registry + "/v1/artifacts/matrix/1.0.0", sha).encode();
    String releaseBody = "{\"version\":\"1.0.0\"}";

    List<String> rows = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    row(rows, mismatches, "registry GET  /v1/health", "GET", registry + "/v1/health", null, 200, 200, 200, 200);
    row(rows, mismatches, "registry GET  /v1/apps", "GET", registry + "/v1/apps", null, 401, 200, 200, 401);
    row(rows, mismatches, "registry POST /v1/apps/matrix/releases", "POST", registry + "/v1/apps/matrix/releases",
        releaseBody, 401, 403, 201, 401);
    row(rows, mismatches, "registry GET  /v1/events (SSE)", "GET", registry + "/v1/events?app=matrix", null,
        401, 200, 200, 401);
    row(rows, mismatches, "registry GET  /v1/artifacts/matrix/1.0.0", "GET", registry + "/v1/artifacts/matrix/1.0.0",
        null, 401, 200, 200, 401);
    row(rows, mismatches, "agent    GET  /v1/health", "GET", agent + "/v1/health", null, 200, 200, 200, 200);
    row(rows, mismatches, "agent    GET  /v1/instances", "GET", agent + "/v1/instances", null, 401, 200, 200, 401);
    row(rows, mismatches, "agent    POST /v1/instances", "POST", agent + "/v1/instances", startBody,
        401, 403, 202, 401);
    row(rows, mismatches, "agent    GET  /metrics", "GET", agent + "/metrics", null, 401, 200, 200, 401);
    row(rows, mismatches, "gateway  GET  /health (admin)", "GET", admin + "/health", null, 200, 200, 200, 200);
    row(rows, mismatches, "gateway  GET  /metrics (admin)", "GET", admin + "/metrics", null, 401, 200, 200, 401);
    row(rows, mismatches, "gateway  GET  /v1/routes (admin)", "GET", admin + "/v1/routes", null, 401, 200, 200, 401);
    print(rows);
    assertThat(mismatches).as("cells that differ from the documented matrix").isEmpty();

    JsonArray releases = given.registry().get("/v1/apps/matrix/releases").array();
    assertThat(releases).as("only the operator's release was created").hasSize(1);
    given.awaitPhase(releases.getJsonObject(0).getString("id"), "SUCCEEDED");
    JsonArray direct = new JsonArray(call("GET", agent + "/v1/instances", null, "Bearer " + stack.tokens().read())
        .body()).stream().map(o -> (JsonObject) o).filter(i -> "direct".equals(i.getString("app")))
        .collect(JsonArray::new, JsonArray::add, JsonArray::addAll);
    assertThat(direct).as("only the operator's start reached the agent").hasSize(1);
  }

  /**
   * Calls one surface with each credential and records the cells. Writes are sent with the refused credentials
   * first, so the operator's write comes last and what it changes is the only change.
   */
  private void row(List<String> rows, List<String> mismatches, String surface, String method, String url,
                   String body, int... expected) {
    List<String> headers = List.of("", "Bearer " + stack.tokens().read(), "Bearer " + stack.tokens().operator(),
        "Bearer wrong-" + UUID.randomUUID());
    Cell[] cells = new Cell[4];
    for (int i : new int[] {0, 1, 3, 2}) {
      cells[i] = cell(call(method, url, body, headers.get(i)));
    }
    StringBuilder line = new StringBuilder(String.format("%-42s", surface));
    for (int i = 0; i < 4; i++) {
      line.append(String.format("| %-17s", cells[i]));
      String want = String.valueOf(expected[i]);
      boolean ok = cells[i].status() == expected[i] && (expected[i] != 401 || "unauthorized".equals(cells[i].error()))
          && (expected[i] != 403 || "forbidden".equals(cells[i].error()));
      if (!ok) {
        mismatches.add(surface + " with " + CREDENTIALS.get(i) + ": expected " + want + ", got " + cells[i]);
      }
    }
    rows.add(line.toString());
  }

  private static void print(List<String> rows) {
    StringBuilder out = new StringBuilder("\nRefusal matrix (status, and the error code of refusals):\n");
    out.append(String.format("%-42s", "surface"));
    CREDENTIALS.forEach(c -> out.append(String.format("| %-17s", c)));
    out.append('\n').append("-".repeat(42 + 4 * 19)).append('\n');
    rows.forEach(r -> out.append(r).append('\n'));
    System.out.println(out);
  }

  record Answer(int status, String contentType, String body) {
  }

  /** One request; an event stream is closed after its head (its status is all a cell needs). */
  private static Answer call(String method, String url, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null && !authorization.isEmpty()) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      String type = r.headers().firstValue("Content-Type").orElse("");
      try (InputStream in = r.body()) {
        String text = type.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(r.statusCode(), type, text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Cell cell(Answer a) {
    String error = null;
    if (a.status() >= 400 && a.contentType().startsWith("application/json")) {
      error = new JsonObject(a.body()).getString("error");
    }
    return new Cell(a.status(), error);
  }

  /** A start request an agent accepts: sample-app 1.0.0 from the registry, as app {@code direct}. */
  private static JsonObject startRequest(String url, String sha256) {
    return new JsonObject().put("app", "direct").put("version", "1.0.0")
        .put("artifact", new JsonObject().put("url", url).put("sha256", sha256))
        .put("command", new JsonArray().add(JavaJar.javaBinary().toString()).add("-Xmx64m")
            .add("-XX:TieredStopAtLevel=1").add("-jar").add("{artifact}"));
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
