package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canary analysis against the baseline, both ways, with load through a real gateway (docs/registry-api.md, "Canary
 * analysis"): 1.0.0 and 2.0.0 of sample-app are the same code, so a canary of either passes with the default
 * analysis settings and with the README's example; the same version started with {@code FAIL_RATE=0.3} fails the
 * comparison with stable and is rolled back. A version that goes bad only at 100% fails its bake against the baseline
 * and a real Prometheus's query, and is rolled back by one route flip to the stable instances kept warm. Every
 * interval's numbers are printed.
 */
class CanaryAnalysisIT {

  /** The README's example (README.md, "Canary with automated analysis"), as a user would send it. */
  static final String DOCUMENTED = "{\"type\": \"canary\", \"steps\": [{\"weight\": 50, \"pauseSeconds\": 10},"
      + " {\"weight\": 100}], \"analysis\": {\"intervalSeconds\": 5, \"failureLimit\": 2}}";
  /** No setting at all: every analysis field at its default. */
  static final String DEFAULTS = "{\"type\": \"canary\", \"steps\": [{\"weight\": 50, \"pauseSeconds\": 5},"
      + " {\"weight\": 100}], \"analysis\": {}}";

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static StackFixture given;

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 2).start();
    given = new StackFixture(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aHealthyCanaryOfTheSameCodePassesWithTheDefaultsAndWithTheDocumentedExample() throws Exception {
    given.givenApp("healthy", 2, Map.of());
    given.givenServing("healthy", "1.0.0");
    try (Traffic traffic = load("healthy"); Events events = new Events(stack, "healthy")) {
      JsonObject withDefaults = given.awaitPhase(given.release("healthy", "2.0.0", DEFAULTS), "SUCCEEDED");
      print("healthy canary 1.0.0 -> 2.0.0, default analysis", withDefaults);
      JsonObject documented = given.awaitPhase(given.release("healthy", "1.0.0", DOCUMENTED), "SUCCEEDED");
      print("healthy canary 2.0.0 -> 1.0.0, the README's example", documented);
      traffic.close();
      assertThat(traffic.failures.get()).as(traffic.toString()).isZero();
      for (JsonObject r : List.of(withDefaults, documented)) {
        JsonArray intervals = intervals(r);
        assertThat(intervals.stream().map(i -> ((JsonObject) i).getString("verdict")))
            .as("no interval failed: " + intervals.encodePrettily()).doesNotContain("FAIL").contains("PASS");
        JsonObject first = intervals.getJsonObject(0);
        assertThat(first.getLong("fromMs") - r.getJsonObject("progress").getJsonObject("analysis")
            .getLong("warmUntil")).as("the first window starts after the warm-up").isLessThanOrEqualTo(0);
        assertThat(first.getJsonObject("canary").getLong("requests")).isGreaterThanOrEqualTo(50);
      }
      Poll.until(Duration.ofSeconds(10), () -> events.kinds().contains("release.analysis"),
          "release.analysis events on /v1/events");
      assertThat(events.data("release.analysis")).anySatisfy(e -> {
        assertThat(e.getString("message")).startsWith("passed:");
        assertThat(e.getJsonObject("data").getJsonObject("canary").getLong("requests")).isPositive();
      });
    }
  }

  @Test
  void aCanaryFailingThirtyPercentFailsTheComparisonWithStableAndIsRolledBack() {
    given.givenApp("faulty", 2, Map.of());
    given.givenServing("faulty", "1.0.0");
    // The new version ships with a bad setting: only instances started from now on (the canary) get it.
    given.givenApp("faulty", 2, Map.of("FAIL_RATE", "0.3"));
    JsonObject aborted;
    try (Traffic traffic = load("faulty")) {
      aborted = given.awaitPhase(given.release("faulty", "2.0.0", DOCUMENTED), "ABORTED");
      traffic.close();
      assertThat(traffic.failures.get()).as("no request went unanswered: " + traffic).isZero();
    } finally {
      given.givenApp("faulty", 2, Map.of());
    }
    print("bad canary 1.0.0 -> 2.0.0 with FAIL_RATE=0.3, the README's example", aborted);
    assertThat(aborted.getString("message")).contains("analysis failed: canary error rate").contains("vs stable");
    JsonArray intervals = intervals(aborted);
    JsonObject last = intervals.getJsonObject(intervals.size() - 1);
    assertThat(last.getString("verdict")).isEqualTo("FAIL");
    assertThat(last.getDouble("pValue")).isLessThan(0.05);
    assertThat(last.getDouble("errorRateIncrease")).isGreaterThan(0.01);
    assertThat(intervals.stream().filter(i -> "FAIL".equals(((JsonObject) i).getString("verdict")))).hasSize(2);
    given.awaitServedOnly("faulty", "1.0.0");
    Poll.until(Duration.ofSeconds(30), () -> given.passing("faulty").equals(Map.of("1.0.0", 2)),
        "canary instances stopped, stable intact");
  }

  /** Requests per second of the new version, and its share of 5xx, as Prometheus sees the gateway's counters. */
  static final String RATE = "sum(rate(baton_gateway_responses_total{app=\\\"{{app}}\\\",version=\\\"{{canary}}\\\"}[{{interval}}]))";
  static final String ERRORS = "sum(rate(baton_gateway_responses_total{app=\\\"{{app}}\\\",version=\\\"{{canary}}\\\","
      + "class=\\\"5xx\\\"}[{{interval}}])) / " + RATE;

  static String baked(String prometheusUrl, String queries) {
    return "{\"type\": \"canary\", \"steps\": [{\"weight\": 100}], \"bakeSeconds\": 30, \"analysis\": {"
        + "\"intervalSeconds\": 3, \"warmupSeconds\": 0, \"failureLimit\": 2, \"prometheus\": {\"url\": \""
        + prometheusUrl + "\", \"queries\": [" + queries + "]}}}";
  }

  @Test
  void aVersionThatGoesBadAtFullTrafficFailsItsBakeAgainstTheBaselineAndPrometheusAndFlipsBack() throws Exception {
    java.nio.file.Path binary = PrometheusServer.binary();
    org.junit.jupiter.api.Assumptions.assumeTrue(binary != null,
        "prometheus is not installed (apt-get install prometheus): the bake and Prometheus scenario is skipped");
    given.givenApp("baked", 2, Map.of());
    given.givenServing("baked", "1.0.0");
    given.givenApp("baked", 2, Map.of("FAIL_RATE", "0.3"));
    long t0 = System.nanoTime();
    try (PrometheusServer prom = PrometheusServer.start(binary, stack.gateway().adminUrl(), stack.tokens().read());
         Traffic traffic = load("baked")) {
      // The baseline needs 1.0.0's traffic before the release; Prometheus seeing it proves its scrape works too.
      Poll.until(Duration.ofSeconds(20), () -> !prom.query("sum(rate(baton_gateway_responses_total{app=\"baked\","
          + "version=\"1.0.0\"}[3s])) > 10").isEmpty(), "Prometheus to see 1.0.0's traffic through the gateway");
      Http.Response rejected = given.registry().post("/v1/apps/baked/releases", new JsonObject().put("version", "2.0.0")
          .put("strategy", new JsonObject(baked(prom.url, "{\"name\": \"typo\", \"query\": \"sum(rate(x[5s]\", \"max\": 1}"))));
      assertThat(rejected.status()).as(rejected.toString()).isEqualTo(400);
      assertThat(rejected.json().getString("error")).isEqualTo("invalid_query");
      assertThat(rejected.json().getString("message")).contains("queries[0] (\"typo\")").contains("bad_data");
      Http.Response ftp = given.registry().post("/v1/apps/baked/releases", new JsonObject().put("version", "2.0.0")
          .put("strategy", new JsonObject(baked("ftp://prometheus", "{\"name\": \"a\", \"query\": \"up\", \"min\": 1}"))));
      assertThat(ftp.status()).as(ftp.toString()).isEqualTo(400);
      List<String> stableIds = ids("baked", "1.0.0");

      String id = given.release("baked", "2.0.0", baked(prom.url, "{\"name\": \"requests\", \"query\": \"" + RATE
          + "\", \"min\": 1}, {\"name\": \"errors\", \"query\": \"" + ERRORS + "\", \"max\": 0.05}"));
      JsonObject aborted = given.awaitPhase(id, "ABORTED");
      traffic.close();
      assertThat(traffic.failures.get()).as("no request went unanswered: " + traffic).isZero();
      print("bake of 2.0.0 with FAIL_RATE=0.3 after a canary straight to 100%", aborted);
      System.out.println("  baseline: " + aborted.getJsonObject("progress").getJsonObject("bake").getJsonObject("baseline"));
      aborted.getJsonArray("history").forEach(h -> System.out.println("  " + ((JsonObject) h).getString("message")));
      assertThat(aborted.getString("message")).startsWith("aborted: bake: failed: canary error rate");
      JsonArray intervals = intervals(aborted);
      JsonObject last = intervals.getJsonObject(intervals.size() - 1);
      assertThat(last.getBoolean("bake")).isTrue();
      assertThat(last.getString("verdict")).isEqualTo("FAIL");
      assertThat(last.getJsonObject("stable").getLong("requests")).as("the baseline: 1.0.0 before the release")
          .isGreaterThanOrEqualTo(50);
      JsonArray queries = last.getJsonArray("prometheus");
      assertThat(queries.getJsonObject(0).getString("verdict")).as(queries.encode()).isEqualTo("PASS");
      assertThat(queries.getJsonObject(0).getDouble("value")).isGreaterThan(1);
      assertThat(queries.getJsonObject(1).getString("verdict")).as(queries.encode()).isEqualTo("FAIL");
      assertThat(queries.getJsonObject(1).getDouble("value")).isGreaterThan(0.05);
      given.awaitServedOnly("baked", "1.0.0");
      assertThat(ids("baked", "1.0.0")).as("the stable instances stayed warm: the rollback was a route flip")
          .containsExactlyInAnyOrderElementsOf(stableIds);
    } finally {
      given.givenApp("baked", 2, Map.of());
    }
    System.out.printf(Locale.ROOT, "bake scenario: %.1f s from Prometheus's start to the rollback%n",
        (System.nanoTime() - t0) / 1e9);
  }

  private static List<String> ids(String app, String version) {
    return given.instances(app).stream().map(o -> (JsonObject) o).filter(i -> version.equals(i.getString("version")))
        .map(i -> i.getString("id")).sorted().toList();
  }

  private static Traffic load(String app) {
    return new Traffic(new Http(stack.gateway().url()), StackFixture.host(app), Duration.ofMinutes(3),
        Duration.ofMillis(5));
  }

  private static JsonArray intervals(JsonObject release) {
    return release.getJsonObject("progress").getJsonArray("analysisHistory", new JsonArray());
  }

  /** Prints every analysis interval of a release, one line each, for the closing note. */
  private static void print(String title, JsonObject release) {
    System.out.println("== " + title + ": " + release.getString("phase") + " - " + release.getString("message"));
    JsonObject progress = release.getJsonObject("progress");
    long t0 = progress.containsKey("analysis") ? progress.getJsonObject("analysis").getLong("warmUntil", 0L)
        : progress.getJsonObject("bake", new JsonObject()).getLong("startedAt", 0L);
    for (Object o : intervals(release)) {
      JsonObject i = (JsonObject) o;
      JsonObject c = i.getJsonObject("canary");
      JsonObject s = i.getJsonObject("stable");
      System.out.println(String.format(Locale.ROOT,
          "  %s %d window %5.1fs..%5.1fs | canary %4d req %3d err %6.2f%% p99 %6.1f ms | stable %4d req %3d err %6.2f%%"
              + " p99 %6.1f ms | %s z=%s p=%s | %s",
          i.getBoolean("bake", false) ? "bake" : "step", i.getInteger("step"), (i.getLong("fromMs") - t0) / 1000.0, (i.getLong("toMs") - t0) / 1000.0,
          c.getLong("requests"), c.getLong("errors"), c.getDouble("errorRate") * 100, c.getDouble("p99Ms"),
          s.getLong("requests"), s.getLong("errors"), s.getDouble("errorRate") * 100, s.getDouble("p99Ms"),
          i.getString("test", "-"), i.getValue("z", "-"), i.getValue("pValue", "-"), i.getString("verdict")));
      if (i.containsKey("prometheus")) {
        System.out.println("      prometheus " + i.getJsonArray("prometheus").encode());
      }
    }
  }
}
