package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traffic per version (docs/registry-api.md "Traffic") while a canary holds at 50%: requests sent through a real
 * gateway show up per version in the registry's one-second series and in its stream, read with the read token.
 * Also the dashboard's static files: open, the data behind them not.
 */
class TrafficIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static StackFixture given;
  static Http reader;

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 1).start();
    given = new StackFixture(stack);
    reader = new Http(stack.registry().url()).withToken(stack.tokens().read());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aCanaryAtHalfShowsBothVersionsPerSecondInTheSeriesAndTheStream() throws Exception {
    given.givenApp("tally", 2, Map.of());
    given.givenServing("tally", "1.0.0");
    String id = given.release("tally", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":50,\"pause\":\"manual\"},"
        + "{\"weight\":100}]}");
    Poll.until(StackFixture.RELEASE_TIMEOUT, () -> "PAUSED".equals(given.get(id).getString("phase")),
        "the canary to hold at 50%");
    // The fixture's own requests (it checks that 1.0.0 serves before the release) fall in the 60 s series too:
    // only the seconds after the load started can be compared with what it sent.
    long loadStartedMs = System.currentTimeMillis();
    try (Traffic traffic = new Traffic(new Http(stack.gateway().url()), StackFixture.host("tally"),
        Duration.ofMinutes(1), Duration.ofMillis(20))) {
      JsonObject body = Poll.value(Duration.ofSeconds(30), () -> {
        JsonObject b = reader.get("/v1/apps/tally/traffic?seconds=60").ok("traffic").json();
        return rps(b).getOrDefault("1.0.0", 0.0) > 0 && rps(b).getOrDefault("2.0.0", 0.0) > 0 ? b : null;
      }, "both versions' requests in the last 10 s");
      System.out.println("traffic per version, last 10 s: " + rps(body) + " req/s; load sent " + traffic);

      assertThat(body.getString("app")).isEqualTo("tally");
      assertThat(body.getInteger("stepMs")).isEqualTo(1000);
      assertThat(body.getJsonArray("gateways")).containsExactly(stack.gateway().id());
      JsonArray versions = body.getJsonArray("versions");
      assertThat(versions).extracting(v -> ((JsonObject) v).getString("version")).containsExactly("1.0.0", "2.0.0");
      long requests = 0;
      long sinceLoad = 0;
      for (Object o : versions) {
        JsonArray series = ((JsonObject) o).getJsonArray("series");
        assertThat(series).as("one point per second, zeros included").hasSize(60);
        long last = series.getJsonObject(59).getLong("t");
        assertThat(last).isLessThanOrEqualTo(body.getLong("now")).isGreaterThan(body.getLong("now") - 3000);
        for (int i = 0; i < 60; i++) {
          JsonObject p = series.getJsonObject(i);
          assertThat(p.getLong("t")).isEqualTo(last - (59 - i) * 1000L);
          assertThat(p.getLong("errors")).isZero();
          requests += p.getLong("requests");
          if (p.getLong("t") >= loadStartedMs + 1000) { // t ends the second it counts
            sinceLoad += p.getLong("requests");
          }
        }
      }
      assertThat(requests).as("requests counted").isPositive();
      assertThat(sinceLoad).as("no more requests counted, in the seconds after the load started, than it sent: "
          + traffic).isLessThanOrEqualTo(traffic.ok() + traffic.bad());

      Map<String, Long> streamed = streamUntilBothVersions();
      System.out.println("one streamed second per version: " + streamed);
      assertThat(streamed).containsOnlyKeys("1.0.0", "2.0.0");

      // Slow requests held by the instances show in the app view's instance table, as the gateway reports them.
      Http slow = new Http(stack.gateway().url()).with("Host", StackFixture.host("tally"));
      List<CompletableFuture<Http.Response>> held = new ArrayList<>();
      java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
      for (int i = 0; i < 4; i++) {
        held.add(CompletableFuture.supplyAsync(() -> slow.get("/slow?ms=6000"), clients));
      }
      int inFlight = Poll.value(Duration.ofSeconds(20), () -> {
        int n = reader.get("/v1/apps/tally").ok("app view").json().getJsonArray("instances").stream()
            .mapToInt(o -> ((JsonObject) o).getInteger("inFlight", 0)).sum();
        return n >= 4 ? n : null;
      }, "the four slow requests in flight in the app view");
      System.out.println("requests in flight in the app view: " + inFlight);
      held.forEach(f -> assertThat(f.join().status()).isEqualTo(200));
      clients.shutdown();
    }
    given.operate(id, "promote");
    given.awaitPhase(id, "SUCCEEDED");
  }

  @Test
  void badSecondsUnknownAppsAndMissingTokensAreRefused() {
    given.givenApp("quiet", 1, Map.of());
    assertThat(reader.get("/v1/apps/quiet/traffic").ok("an app without traffic").json()
        .getJsonArray("versions")).isEmpty();
    for (String bad : new String[] {"0", "901", "-5", "ten", "1.5"}) {
      Http.Response r = reader.get("/v1/apps/quiet/traffic?seconds=" + bad);
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.json().getString("message")).as(r.toString()).contains("seconds").contains("900");
    }
    assertThat(reader.get("/v1/apps/nosuch/traffic").status()).isEqualTo(404);
    assertThat(reader.get("/v1/apps/nosuch/traffic/stream").status()).isEqualTo(404);
    assertThat(reader.get("/v1/apps/Bad_Name/traffic").status()).isEqualTo(400);
    Http anonymous = new Http(stack.registry().url());
    assertThat(anonymous.get("/v1/apps/quiet/traffic").status()).isEqualTo(401);
    assertThat(anonymous.get("/v1/apps/quiet/traffic/stream").status()).isEqualTo(401);
  }

  @Test
  void theDashboardIsStaticServedWithoutATokenUnderAStrictPolicy() {
    Http anonymous = new Http(stack.registry().url());
    Http.Response page = anonymous.get("/ui/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.body()).contains("js/main.js").doesNotContain("<script>").doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(anonymous.get("/ui/js/main.js").header("Content-Type")).startsWith("text/javascript");
    Http.Response uplot = anonymous.get("/ui/lib/uplot/uPlot.esm.js");
    assertThat(uplot.status()).as("uPlot from its WebJar").isEqualTo(200);
    assertThat(uplot.body()).contains("export");
    assertThat(anonymous.get("/ui").status()).isEqualTo(302);
    assertThat(anonymous.get("/ui/nosuch.js").status()).isEqualTo(404);
    assertThat(anonymous.get("/ui/../META-INF/MANIFEST.MF").status()).isIn(400, 404);
    assertThat(anonymous.get("/v1/apps").status()).as("the data stays behind the token").isEqualTo(401);
  }

  /** Reads the traffic stream until one second has requests of both versions; their counts in that second. */
  private static Map<String, Long> streamUntilBothVersions() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.registry().url() + "/v1/apps/tally/traffic/stream"))
        .header("Authorization", "Bearer " + stack.tokens().read()).build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    CompletableFuture<Map<String, Long>> found = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String event = null;
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && "traffic".equals(event)) {
            Map<String, Long> counts = new TreeMap<>();
            new JsonObject(line.substring(6)).getJsonArray("versions").forEach(v -> counts.put(
                ((JsonObject) v).getString("version"), ((JsonObject) v).getLong("requests")));
            if (counts.getOrDefault("1.0.0", 0L) > 0 && counts.getOrDefault("2.0.0", 0L) > 0) {
              return counts;
            }
          }
        }
        throw new AssertionError("the stream ended");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      return found.get(30, TimeUnit.SECONDS);
    } finally {
      response.body().close();
    }
  }

  private static Map<String, Double> rps(JsonObject body) {
    Map<String, Double> out = new TreeMap<>();
    body.getJsonArray("versions").forEach(v -> out.put(((JsonObject) v).getString("version"),
        ((JsonObject) v).getJsonObject("last10s").getDouble("rps")));
    return out;
  }
}
