package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canary analysis against a really failing canary, a registry killed with SIGKILL mid-canary, and config that rolls
 * back with the code:
 * real Consul, two agents, a gateway and the registry, each its own process.
 */
class CanaryAbortAndResumeIT {

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
  void aCanaryFailing30PercentIsAbortedByAnalysisWhileStableKeepsServing() {
    given.givenApp("risky", 2, Map.of());
    given.givenServing("risky", "1.0.0");
    // The new version ships with a bad setting: only instances started from now on get it.
    given.givenApp("risky", 2, Map.of("FAIL_RATE", "0.3"));

    JsonObject aborted;
    try (Traffic traffic = new Traffic(new Http(stack.gateway().url()), StackFixture.host("risky"),
        Duration.ofMinutes(2), Duration.ofMillis(15))) {
      String id = given.release("risky", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":50,\"pauseSeconds\":120},"
          + "{\"weight\":100}],\"analysis\":{\"maxErrorRate\":0.05,\"minRequests\":20,\"intervalSeconds\":2,\"warmupSeconds\":2,"
          + "\"failureLimit\":2}}");
      aborted = given.awaitPhase(id, "ABORTED");
      traffic.close();
      assertThat(traffic.failures.get()).as("no request went unanswered: " + traffic).isZero();
      assertThat(traffic.byVersion.get("1.0.0").get()).as(traffic.toString()).isPositive();
    }
    assertThat(aborted.getString("message")).contains("analysis failed").contains("canary error rate");
    assertThat(aborted.getInteger("step")).as("never went past the first step").isZero();
    given.awaitServedOnly("risky", "1.0.0");
    assertThat(given.served("risky", 50, null, null)).isEqualTo(Map.of("1.0.0", 50));
    JsonObject route = given.registry().get("/v1/apps/risky").json().getJsonObject("route");
    assertThat(route.getJsonArray("split")).hasSize(1);
    assertThat(route.getJsonArray("split").getJsonObject(0).getString("version")).isEqualTo("1.0.0");
    Poll.until(Duration.ofSeconds(15), () -> given.passing("risky").equals(Map.of("1.0.0", 2)),
        "canary instances stopped, stable intact");
  }

  @Test
  void aRegistryKilledMidCanaryResumesAtItsStepWithoutRepeatingIt() {
    given.givenApp("resume", 2, Map.of());
    given.givenServing("resume", "1.0.0");
    String id = given.release("resume", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":30,\"pauseSeconds\":6},"
        + "{\"weight\":60,\"pause\":\"manual\"},{\"weight\":100}]}");
    Poll.until(StackFixture.RELEASE_TIMEOUT, () -> given.get(id).getString("message").contains("pausing 6s"),
        "the first canary step to be in force");
    Map<String, Integer> before = given.passing("resume");

    stack.registry().kill9();
    stack.registry().start();
    stack.registry().process().awaitLog(Pattern.compile("watching release " + Pattern.quote(id)),
        Duration.ofSeconds(60));
    assertThat(given.registry().get("/v1/health").json().getBoolean("leader")).isTrue();

    JsonObject paused = given.awaitPhase(id, "PAUSED");
    assertThat(paused.getInteger("step")).as("carried on to the manual step after the restart").isEqualTo(1);
    assertThat(before).containsEntry("2.0.0", 1);
    given.operate(id, "promote");
    JsonObject done = given.awaitPhase(id, "SUCCEEDED");
    given.awaitServedOnly("resume", "2.0.0");
    JsonArray history = done.getJsonArray("history");
    assertThat(history.stream().map(h -> ((JsonObject) h).getString("message"))
        .filter(m -> m.startsWith("step 1/3 (30%): starting"))).as("the first step ran once: " + history.encode())
        .hasSize(1);
    assertThat(history.stream().map(h -> ((JsonObject) h).getString("message"))
        .filter(m -> m.startsWith("step 1/3 (30%): routing"))).hasSize(1);
  }

  /**
   * A gradual abort (docs/registry-api.md, "Gradual abort") under traffic: the canary goes back from 60% to 20%,
   * held, then to 0% and stops; no request goes unanswered. The release's own deadline is shown with it.
   */
  @Test
  void aGradualAbortStepsTheCanaryBackDownUnderTrafficThenRollsBack() {
    given.givenApp("retreat", 2, Map.of());
    given.givenServing("retreat", "1.0.0");
    Http registry = given.registry();
    String id = given.release("retreat", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":20},"
        + "{\"weight\":60,\"pause\":\"manual\"},{\"weight\":100}],\"progressDeadlineSeconds\":120,\"minHealthySeconds\":1}");
    JsonObject paused = given.awaitPhase(id, "PAUSED");
    assertThat(paused.getJsonObject("strategy").getInteger("progressDeadlineSeconds")).isEqualTo(120);
    Http.Response misspelt = registry.post("/v1/releases/" + id + "/abort", new JsonObject().put("graduel", true));
    assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(400);
    assertThat(misspelt.body()).contains("did you mean \\\"gradual\\\"");

    long t0 = System.nanoTime();
    JsonObject aborted;
    try (Traffic traffic = new Traffic(new Http(stack.gateway().url()), StackFixture.host("retreat"),
        Duration.ofMinutes(1), Duration.ofMillis(15))) {
      Http.Response started = registry.post("/v1/releases/" + id + "/abort",
          new JsonObject().put("gradual", true).put("stepDownSeconds", 2));
      assertThat(started.status()).as(started.toString()).isEqualTo(200);
      assertThat(started.json().getString("message")).isEqualTo("gradual abort by operator: 60% -> 20% -> 0%");
      Http.Response twice = registry.post("/v1/releases/" + id + "/abort", new JsonObject().put("gradual", true));
      assertThat(twice.status()).as(twice.toString()).isEqualTo(409);
      Poll.until(Duration.ofSeconds(30), () -> registry.get("/v1/apps/retreat").json().getJsonObject("route")
          .getJsonArray("split").stream().map(o -> (JsonObject) o)
          .anyMatch(w -> w.getString("version").equals("2.0.0") && w.getDouble("weight") == 20.0), "20% to the canary");
      aborted = given.awaitPhase(id, "ABORTED");
      traffic.close();
      assertThat(traffic.failures.get()).as("no request went unanswered: " + traffic).isZero();
      System.out.printf("gradual abort 60%% -> 20%% -> 0%% (2 s holds): %d ms to ABORTED; traffic %s%n",
          (System.nanoTime() - t0) / 1_000_000, traffic);
    }
    assertThat(aborted.getString("message")).contains("aborted by operator (gradual: 60% -> 20% -> 0%)");
    assertThat(aborted.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("message")))
        .anyMatch(m -> m.startsWith("gradual abort: 20% to 2.0.0"));
    given.awaitServedOnly("retreat", "1.0.0");
  }

  /**
   * Config rolls back with the code (docs/ARCHITECTURE.md): each release's env reaches its instances, a rollback
   * starts the previous version with the previous config, and so does the reconciler when it replaces a lost instance.
   */
  @Test
  void configShippedWithAVersionLeavesWithItOnRollbackAndSurvivesSelfHealing() {
    given.givenApp("conf", 1, Map.of("SAMPLE_REGION", "eu"));
    Http registry = given.registry();
    for (JsonObject bad : new JsonObject[] {
        new JsonObject().put("version", "1.0.0").put("env", new JsonObject().put("1BAD", "x")),
        new JsonObject().put("version", "1.0.0").put("command", new JsonArray()),
        new JsonObject().put("version", "1.0.0").put("envs", new JsonObject())}) {
      Http.Response refused = registry.post("/v1/apps/conf/releases", bad);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    }
    assertThat(registry.get("/v1/apps/conf/releases").array()).as("nothing started").isEmpty();

    released("conf", new JsonObject().put("version", "1.0.0").put("env", new JsonObject().put("SAMPLE_TIER", "one")));
    assertThat(config("conf")).isEqualTo(Map.of("SAMPLE_REGION", "eu", "SAMPLE_TIER", "one"));

    long t0 = System.nanoTime();
    String two = released("conf", new JsonObject().put("version", "2.0.0")
        .put("env", new JsonObject().put("SAMPLE_FLAG", "x").put("SAMPLE_API_TOKEN", "s3cr3t")));
    assertThat(config("conf")).as("the release's env over the spec's; 1.0.0's is not inherited")
        .isEqualTo(Map.of("SAMPLE_REGION", "eu", "SAMPLE_FLAG", "x", "SAMPLE_API_TOKEN", "s3cr3t"));
    assertThat(given.get(two).getJsonObject("config").getJsonObject("env").getString("SAMPLE_API_TOKEN"))
        .isEqualTo("***");
    JsonObject atTwo = registry.get("/v1/apps/conf").json().getJsonArray("versions").getJsonObject(0);
    assertThat(atTwo.getString("version")).isEqualTo("2.0.0");
    assertThat(atTwo.getJsonObject("env").getString("SAMPLE_API_TOKEN")).isEqualTo("***");
    assertThat(atTwo.getJsonObject("env").getString("SAMPLE_FLAG")).isEqualTo("x");

    long t1 = System.nanoTime();
    Http.Response rollback = registry.post("/v1/apps/conf/rollback", "");
    assertThat(rollback.status()).as(rollback.toString()).isEqualTo(201);
    given.awaitPhase(rollback.json().getString("id"), "SUCCEEDED");
    given.awaitServedOnly("conf", "1.0.0");
    assertThat(config("conf")).as("1.0.0 is back with its own config")
        .isEqualTo(Map.of("SAMPLE_REGION", "eu", "SAMPLE_TIER", "one"));

    // The instance is lost (stopped behind the registry's back): the reconciler starts 1.0.0 with 1.0.0's config.
    long t2 = System.nanoTime();
    JsonObject lost = given.instances("conf").getJsonObject(0);
    Http.Response stopped = new Http(lost.getString("agentUrl")).withToken(stack.tokens().operator())
        .delete("/v1/instances/" + lost.getString("id"));
    assertThat(stopped.status()).as(stopped.toString()).isIn(200, 202);
    Poll.until(Duration.ofSeconds(60), () -> given.instances("conf").stream().map(o -> (JsonObject) o).anyMatch(
        i -> !i.getString("id").equals(lost.getString("id")) && "passing".equals(i.getString("status"))),
        "the reconciler to replace " + lost.getString("id"));
    given.awaitServedOnly("conf", "1.0.0");
    assertThat(config("conf")).isEqualTo(Map.of("SAMPLE_REGION", "eu", "SAMPLE_TIER", "one"));
    long t3 = System.nanoTime();
    System.out.printf("config scenario: release 2.0.0 with env %d ms, rollback to 1.0.0 with its config %d ms,"
        + " self-healed 1.0.0 with its config %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000);
    JsonObject view = registry.get("/v1/apps/conf").json();
    System.out.println("app view after the rollback and a self-healed instance: versions "
        + view.getJsonArray("versions").encodePrettily());
    assertThat(view.getJsonArray("versions").getJsonObject(0).getJsonObject("overrides").getJsonObject("env").getMap())
        .isEqualTo(Map.of("SAMPLE_TIER", "one"));

    // A rollback to a named version (baton rollback --to) brings that version's config back too.
    Http.Response misspelt = registry.post("/v1/apps/conf/rollback", new JsonObject().put("versoin", "2.0.0"));
    assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(400);
    Http.Response back = registry.post("/v1/apps/conf/rollback", new JsonObject().put("version", "2.0.0"));
    assertThat(back.status()).as(back.toString()).isEqualTo(201);
    given.awaitPhase(back.json().getString("id"), "SUCCEEDED");
    given.awaitServedOnly("conf", "2.0.0");
    assertThat(config("conf")).isEqualTo(Map.of("SAMPLE_REGION", "eu", "SAMPLE_FLAG", "x", "SAMPLE_API_TOKEN", "s3cr3t"));
  }

  /** Creates a release from {@code body} and waits until it succeeded and only its version serves. */
  private static String released(String app, JsonObject body) {
    Http.Response r = given.registry().post("/v1/apps/" + app + "/releases", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.json().getString("id");
    given.awaitPhase(id, "SUCCEEDED");
    given.awaitServedOnly(app, body.getString("version"));
    return id;
  }

  /** The SAMPLE_* variables of the instance that answers through the gateway (sample-app {@code GET /config}). */
  private static Map<String, Object> config(String app) {
    Http.Response r = given.gateway(app).get("/config");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonObject("env").getMap();
  }

  @Test
  void sigtermStopsTheRegistryCleanlyAndHandsTheLockOverAtOnce() {
    assertThat(stack.registry().stop(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
    assertThat(new Http(CONSUL.httpAddress()).get("/v1/kv/baton/leader").status())
        .as("the lock is released, not left to expire").isEqualTo(404);
    assertThat(new Http(CONSUL.httpAddress()).get("/v1/health/service/baton-registry").array())
        .as("deregistered from Consul").isEmpty();
    stack.registry().start();
    assertThat(given.registry().get("/v1/health").json().getBoolean("leader")).isTrue();
  }
}
