package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.registry.RegistryVerticle;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The REST API against a real registry (in this JVM) and a real Consul: every bad input and its status. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryApiIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final String TOKEN = "s3cret-token";
  static final String READ_TOKEN = "read-only-token";
  static Vertx leaderVertx;
  static Vertx followerVertx;
  static Http api;
  static Http reader;
  static Http anonymous;
  static Http follower;

  @BeforeAll
  static void start() throws Exception {
    int port = FreePorts.find();
    leaderVertx = deploy("registry-a", port);
    api = new Http("http://127.0.0.1:" + port).withToken(TOKEN);
    reader = new Http("http://127.0.0.1:" + port).withToken(READ_TOKEN);
    anonymous = new Http("http://127.0.0.1:" + port);
  }

  static Vertx deploy(String id, int port) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(Map.of("BATON_ID", id, "BATON_HTTP_PORT", String.valueOf(port),
        "BATON_CONSUL_PORT", String.valueOf(CONSUL.port()), "BATON_TOKEN", TOKEN, "BATON_READ_TOKEN", READ_TOKEN,
        "BATON_DATA_DIR", Files.createTempDirectory("registry-api-it").toString(),
        "BATON_MAX_ARTIFACT_BYTES", "65536", "BATON_MAX_BODY_BYTES", "4096", "BATON_TICK_MS", "100",
        "BATON_PROGRESS_DEADLINE_SECONDS", "600"));
    env.put("BATON_HEADER_TIMEOUT_MS", "1000");
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new RegistryVerticle(ConfigLoader.resolve(ServiceKind.REGISTRY, null, env, "it")))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return vertx;
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx v : new Vertx[] {followerVertx, leaderVertx}) {
      if (v != null) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  static void error(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(r.toString()).isEqualTo(code);
    assertThat(r.json().getString("message")).as(r.toString()).isNotBlank();
  }

  static List<String> fields(Http.Response r) {
    return r.json().getJsonArray("fields", new JsonArray()).stream()
        .map(f -> ((JsonObject) f).getString("field")).toList();
  }

  @Test
  @Order(1)
  void withoutATokenEverythingButHealthIs401AndTheReadTokenOnlyReads() {
    assertThat(anonymous.get("/v1/health").status()).isEqualTo(200);
    error(anonymous.get("/v1/apps"), 401, "unauthorized");
    error(anonymous.put("/v1/apps/shop", "{\"instances\":1}"), 401, "unauthorized");
    error(anonymous.with("Authorization", "Bearer wrong").get("/v1/apps"), 401, "unauthorized");
    error(anonymous.putBytes("/v1/artifacts/shop/1.0.0", new byte[] {1}), 401, "unauthorized");
    error(anonymous.get("/v1/artifacts/shop/1.0.0"), 401, "unauthorized");
    error(anonymous.get("/v1/events"), 401, "unauthorized");
    assertThat(reader.get("/v1/apps").status()).isEqualTo(200);
    error(reader.put("/v1/apps/shop", "{\"instances\":1}"), 403, "forbidden");
    error(reader.putBytes("/v1/artifacts/shop/1.0.0", new byte[] {1}), 403, "forbidden");
    assertThat(api.get("/v1/apps").array()).as("nothing was created by the refused writes").isEmpty();
  }

  @Test
  @Order(2)
  void appsRejectEveryBadInputNamingTheField() {
    error(api.put("/v1/apps/Bad_Name", "{\"instances\":1}"), 400, "invalid_request");
    Http.Response many = api.put("/v1/apps/shop", "{\"instances\":-1,\"healthPath\":\"no-slash\",\"command\":[],"
        + "\"env\":{\"1BAD\":\"x\"},\"routing\":{\"pathPrefix\":\"x\"}}");
    error(many, 400, "invalid_request");
    assertThat(fields(many)).contains("instances", "healthPath", "command", "env.1BAD", "routing.pathPrefix");
    Http.Response healthpath = api.put("/v1/apps/typo", "{\"instances\":1,\"healthpath\":\"/ready\"}");
    error(healthpath, 400, "invalid_request");
    assertThat(fields(healthpath)).containsExactly("healthpath");
    assertThat(api.get("/v1/apps/typo").status()).as("an app refused for a misspelt field is not created").isEqualTo(404);
    error(api.put("/v1/apps/shop", "{not json"), 400, "invalid_request");
    error(api.put("/v1/apps/shop", "[1,2]"), 400, "invalid_request");
    error(api.put("/v1/apps/shop", ""), 400, "invalid_request");
    error(api.put("/v1/apps/shop", "{\"instances\":1,\"x\":\"" + "a".repeat(5000) + "\"}"), 413, "payload_too_large");
    error(api.get("/v1/apps/nope"), 404, "not_found");
    error(api.delete("/v1/apps/shop"), 404, "not_found");
    error(api.post("/v1/apps/shop", "{}"), 405, "method_not_allowed");
    error(api.get("/v1/nothing-here"), 404, "not_found");

    Http.Response created = api.put("/v1/apps/shop", "{\"instances\":2,\"healthPath\":\"/health\",\"env\":{\"A\":\"1\"}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(api.put("/v1/apps/shop", "{\"instances\":2}").status()).isEqualTo(200);
    Http.Response view = api.get("/v1/apps/shop");
    assertThat(view.json().getJsonObject("spec").getInteger("instances")).isEqualTo(2);
    assertThat(view.json().containsKey("route")).isTrue();
    assertThat(view.json().getJsonArray("instances")).isEmpty();
    assertThat(api.get("/v1/apps").array()).hasSize(1);

    // An app never released runs nothing: it is deleted at once, spec and route with it.
    assertThat(api.put("/v1/apps/scratch", "{\"instances\":3}").status()).isEqualTo(201);
    Http.Response deleted = api.delete("/v1/apps/scratch");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().getBoolean("deleted")).isTrue();
    error(api.get("/v1/apps/scratch"), 404, "not_found");
    assertThat(api.get("/v1/apps").array()).hasSize(1);
  }

  @Test
  @Order(3)
  void artifactsAreImmutableHashedAndCapped() throws Exception {
    byte[] bytes = "artifact one".getBytes(StandardCharsets.UTF_8);
    Http.Response up = api.putBytes("/v1/artifacts/shop/1.0.0", bytes);
    assertThat(up.status()).as(up.toString()).isEqualTo(201);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(up.json().getString("sha256")).isEqualTo(sha);
    assertThat(up.json().getLong("size")).isEqualTo(bytes.length);
    assertThat(up.json().getString("url")).endsWith("/v1/artifacts/shop/1.0.0");
    assertThat(api.putBytes("/v1/artifacts/shop/1.0.0", bytes).status()).as("same bytes again").isEqualTo(200);
    error(api.putBytes("/v1/artifacts/shop/1.0.0", "other".getBytes(StandardCharsets.UTF_8)), 409, "artifact_exists");
    error(api.putBytes("/v1/artifacts/shop/bad%20version", bytes), 400, "invalid_request");
    error(api.putBytes("/v1/artifacts/BAD/1.0.0", bytes), 400, "invalid_request");
    error(api.putBytes("/v1/artifacts/shop/3.0.0", new byte[70_000]), 413, "payload_too_large");
    error(anonymous.get("/v1/artifacts/shop/1.0.0"), 401, "unauthorized");
    Http.Response download = reader.get("/v1/artifacts/shop/1.0.0");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("artifact one");
    assertThat(download.header("X-Baton-Sha256")).isEqualTo(sha);
    error(reader.get("/v1/artifacts/shop/3.0.0"), 404, "not_found");
    assertThat(api.putBytes("/v1/artifacts/shop/2.0.0", "artifact two".getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(201);
  }

  @Test
  @Order(4)
  void releasesCheckAppVersionAndActiveReleaseThenOperationsFollowTheStateMachine() {
    Http.Response bad = api.post("/v1/apps/shop/releases", "{\"version\":\"not a version\",\"strategy\":"
        + "{\"type\":\"canary\",\"steps\":[{\"weight\":50},{\"weight\":20}],\"analysis\":{\"maxErrorRate\":2}}}");
    error(bad, 400, "invalid_request");
    assertThat(fields(bad)).contains("version", "strategy.steps[1].weight", "strategy.analysis.maxErrorRate");
    error(api.post("/v1/apps/shop/releases", "{\"version\":\"1.0.0\",\"strategy\":{\"type\":\"teleport\"}}"), 400,
        "invalid_request");
    // Misspelt fields used to fall back to defaults without a word (a canary at 100% in 7 s, a rolling release
    // instead of blue-green): each is refused, naming the field and the nearest known name, and starts nothing.
    Http.Response misspelt = api.post("/v1/apps/shop/releases", "{\"version\":\"1.0.0\",\"strategy\":{\"type\":"
        + "\"canary\",\"steps\":[{\"weight\":10,\"pauseSecond\":60},{\"weight\":100}]}}");
    error(misspelt, 400, "invalid_request");
    assertThat(misspelt.json().getString("message"))
        .contains("unknown field \"pauseSecond\" in strategy.steps[0]; did you mean \"pauseSeconds\"?");
    Http.Response stratgy = api.post("/v1/apps/shop/releases", "{\"version\":\"1.0.0\",\"stratgy\":{\"type\":\"blue-green\"}}");
    error(stratgy, 400, "invalid_request");
    assertThat(fields(stratgy)).containsExactly("stratgy");
    assertThat(api.get("/v1/apps/shop/releases").array()).as("no release created by a refused body").isEmpty();
    error(api.post("/v1/apps/ghost/releases", "{\"version\":\"1.0.0\"}"), 404, "not_found");
    error(api.post("/v1/apps/shop/releases", "{\"version\":\"9.9.9\"}"), 422, "artifact_missing");
    error(api.post("/v1/apps/shop/rollback", ""), 409, "no_previous_version");
    error(api.post("/v1/apps/ghost/rollback", ""), 404, "not_found");

    Http.Response created = api.post("/v1/apps/shop/releases", "{\"version\":\"1.0.0\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.json().getString("phase")).isEqualTo("PENDING");
    assertThat(created.json().getString("fromVersion")).isNull();
    error(api.post("/v1/apps/shop/releases", "{\"version\":\"2.0.0\"}"), 409, "release_in_progress");
    error(api.get("/v1/releases/shop.nope"), 404, "not_found");
    error(api.get("/v1/releases/garbage"), 404, "not_found");
    error(api.post("/v1/releases/shop.nope/abort", ""), 404, "not_found");
    error(api.post("/v1/releases/" + id + "/teleport", ""), 404, "not_found");
    error(api.post("/v1/releases/" + id + "/promote", ""), 409, "invalid_transition");
    assertThat(api.get("/v1/apps/shop/releases").array()).hasSize(1);
    error(api.get("/v1/apps/ghost/releases"), 404, "not_found");
    assertThat(api.get("/v1/apps/shop").json().getJsonObject("activeRelease").getString("id")).isEqualTo(id);

    error(api.post("/v1/releases/" + id + "/resume", ""), 409, "invalid_transition"); // not paused: nothing to do
    assertThat(api.post("/v1/releases/" + id + "/pause", "").json().getString("phase")).isEqualTo("PAUSED");
    Http.Response twice = api.post("/v1/releases/" + id + "/pause", "");
    error(twice, 409, "invalid_transition");
    assertThat(twice.json().getString("message")).contains("already paused");
    error(api.put("/v1/apps/shop/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}"), 409,
        "version_not_running");
    assertThat(api.post("/v1/releases/" + id + "/resume", "").json().getString("phase")).isEqualTo("PROGRESSING");
    error(api.put("/v1/apps/shop/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}"), 409,
        "release_in_progress");
    assertThat(api.post("/v1/releases/" + id + "/abort", "").status()).isEqualTo(200);
    Poll.until(Duration.ofSeconds(10), () -> "ABORTED".equals(api.get("/v1/releases/" + id).json().getString("phase")),
        "the release to be aborted");
    error(api.post("/v1/releases/" + id + "/resume", ""), 409, "invalid_transition");
    error(api.post("/v1/releases/" + id + "/abort", ""), 409, "invalid_transition");
    JsonArray history = api.get("/v1/releases/" + id).json().getJsonArray("history");
    assertThat(history.stream().map(h -> ((JsonObject) h).getString("phase")))
        .contains("PENDING", "PROGRESSING", "PAUSED", "ABORTED");
  }

  @Test
  @Order(5)
  void routeOverridesAreValidated() {
    Http.Response sum = api.put("/v1/apps/shop/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":90}]}");
    error(sum, 400, "invalid_request");
    assertThat(fields(sum)).contains("split");
    error(api.put("/v1/apps/shop/route", "{\"app\":\"other\",\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}"),
        400, "invalid_request");
    error(api.put("/v1/apps/ghost/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}"), 404, "not_found");
    error(api.put("/v1/apps/shop/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],"
        + "\"sticky\":{\"header\":\"a\",\"cookie\":\"b\"}}"), 400, "invalid_request");
    Http.Response rulez = api.put("/v1/apps/shop/route", "{\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],\"rulez\":[]}");
    error(rulez, 400, "invalid_request");
    assertThat(fields(rulez)).containsExactly("rulez");
  }

  @Test
  @Order(6)
  void eventsStreamAsServerSentEvents() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest sse = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/events?app=shop"))
        .header("Authorization", "Bearer " + TOKEN).build();
    HttpResponse<java.io.InputStream> stream = client.send(sse, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    Thread lineReader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (Exception ignored) {
        // the stream is closed at the end of the test
      }
    });
    lineReader.setDaemon(true);
    lineReader.start();
    Poll.until(Duration.ofSeconds(5), () -> lines.stream().anyMatch(l -> l.startsWith(": subscribed")), "the stream to open");
    String id = api.post("/v1/apps/shop/releases", "{\"version\":\"1.0.0\"}").json().getString("id");
    Poll.until(Duration.ofSeconds(10), () -> lines.contains("event: release.progressing"), "a release.progressing event");
    assertThat(lines.stream().filter(l -> l.startsWith("data: ")).map(l -> new JsonObject(l.substring(6)))
        .filter(j -> id.equals(j.getString("subject")))).isNotEmpty();
    api.post("/v1/releases/" + id + "/abort", "");
    Poll.until(Duration.ofSeconds(10), () -> lines.contains("event: release.aborted"), "a release.aborted event");
    stream.body().close();
  }

  @Test
  @Order(7)
  void aSecondRegistryFollowsAnswersWritesWith503NamingTheLeaderAndTakesOverWhenItStops() throws Exception {
    int port = FreePorts.find();
    followerVertx = deploy("registry-b", port);
    follower = new Http("http://127.0.0.1:" + port).withToken(TOKEN);
    assertThat(follower.get("/v1/apps/shop").status()).as("reads are served").isEqualTo(200);
    Http.Response refused = follower.put("/v1/apps/shop", "{\"instances\":1}");
    error(refused, 503, "not_leader");
    assertThat(refused.json().getString("message")).contains("registry-a");
    leaderVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    leaderVertx = null;
    Poll.until(Duration.ofSeconds(15), () -> follower.get("/v1/health").json().getBoolean("leader"),
        "registry-b to take the lock");
    assertThat(follower.put("/v1/apps/shop", "{\"instances\":1}").status()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void theApiHasTheGatewaysLimitsHeadersUriSlowHeadsAndNoH2c() throws Exception {
    error(follower.with("X-Big", "a".repeat(20_000)).get("/v1/apps"), 431, "headers_too_large");
    error(follower.get("/v1/apps?q=" + "a".repeat(9000)), 414, "uri_too_long");
    int port = URI.create(follower.base()).getPort();
    String slow = raw(port, "GET /v1/apps HTTP/1.1\r\nHost: registry\r\nAuthorization: Bearer " + TOKEN + "\r\n");
    assertThat(slow).as("a head not finished within BATON_HEADER_TIMEOUT_MS").startsWith("HTTP/1.1 408")
        .contains("request_timeout").endsWith("<EOF>");
    String h2c = raw(port, "GET /v1/health HTTP/1.1\r\nHost: registry\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");
    assertThat(h2c).as("no h2c upgrade").startsWith("HTTP/1.1 200");
  }

  /** Sends {@code request} on a raw connection and reads until the registry closes it (or 15 s pass). */
  private static String raw(int port, String request) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      StringBuilder out = new StringBuilder();
      byte[] buf = new byte[4096];
      try {
        for (int n = s.getInputStream().read(buf); n >= 0; n = s.getInputStream().read(buf)) {
          out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
          if (request.endsWith("\r\n\r\n") && out.indexOf("\r\n\r\n") >= 0) {
            return out.toString();
          }
        }
        return out.append("<EOF>").toString();
      } catch (java.net.SocketTimeoutException e) {
        return out.append("<OPEN>").toString();
      }
    }
  }

  private static String baseUrl() {
    return anonymous.base();
  }
}
