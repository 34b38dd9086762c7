package dev.baton.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.load.Load;
import dev.baton.e2e.load.Sample;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A canary answering 5xx until traffic is back on stable (bench/README.md, "Control plane"): under load through the
 * gateway, a canary of 2.0.0 with {@code FAIL_RATE} in its release's env, analysed every second; from the first
 * injected 5xx the load got from it to the last response it got from the canary, and to the poll that saw the
 * release ABORTED. The registry runs its production tick (500 ms); the failing window's end and its verdict's time
 * (from {@code progress.analysisHistory}) say where the time goes. Asserts only that every release was aborted by
 * its analysis and that stable answered throughout.
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class CanaryRollbackIT {

  private static final String APP = "rollback";
  private static final int ROUNDS = Integer.getInteger("baton.bench.rounds", 5);
  private static final String FAIL_RATE = "0.3";
  /** Every setting stated, so the figure says what it was measured with (docs/registry-api.md, "Canary analysis"). */
  private static final JsonObject ANALYSIS = new JsonObject().put("intervalSeconds", 1).put("failureLimit", 1)
      .put("minRequests", 20).put("warmupSeconds", 0).put("confidence", 0.95).put("maxErrorRateIncrease", 0.01)
      .put("maxP99Ratio", 1.5).put("minP99IncreaseMs", 25);
  private static Stack stack;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    stack = StackBuilder.create().name("bench-rollback").registries(1).gateways(1).agents(2)
        .env(ServiceKind.REGISTRY, Map.of("BATON_TICK_MS", "500", "BATON_START_TIMEOUT_MS", "90000"))
        .start();
    stack.awaitLeader(Duration.ofSeconds(60));
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0", "2.0.0").app(2, Map.of()).serving("1.0.0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aFailingCanaryLeavesTraffic() throws Exception {
    BenchReport report = new BenchReport("canary-rollback", "canary answering 5xx (FAIL_RATE=" + FAIL_RATE
        + ") -> traffic back on stable; canary 50% then 100%, analysis " + ANALYSIS.encode()
        + ", registry tick 500 ms, gateway metrics every 1 s, load ~160 req/s through one gateway");
    report.line("round | onset->window end | onset->FAIL verdict | onset->last canary answer | onset->ABORTED seen"
        + " | canary 5xx");
    List<Double> lastCanary = new ArrayList<>();
    List<Double> aborted = new ArrayList<>();
    long wallMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    try (Load load = Load.start(vertx, stack.gateway().httpPort(), "bench", new Load.Profile(150, 10, 0, 0, 0, 1000, 10),
        Duration.ofMinutes(15))) {
      for (int round = 1; round <= ROUNDS; round++) {
        long releasedAt = System.nanoTime();
        JsonObject body = new JsonObject().put("version", "2.0.0").put("env", new JsonObject().put("FAIL_RATE", FAIL_RATE))
            .put("strategy", new JsonObject().put("type", "canary").put("analysis", ANALYSIS).put("steps", new JsonArray()
                .add(new JsonObject().put("weight", 50).put("pauseSeconds", 60)).add(new JsonObject().put("weight", 100))));
        String id = stack.registry().http().post("/v1/apps/" + APP + "/releases", body).ok("canary").json().getString("id");
        long abortedSeen = Poll.value(Duration.ofSeconds(180), () -> {
          String phase = release(id).getString("phase");
          assertThat(phase).as("release " + id).isNotIn("SUCCEEDED", "FAILED");
          return "ABORTED".equals(phase) ? System.nanoTime() : null;
        }, "the failing canary " + id + " to be aborted");
        JsonObject r = release(id);
        Poll.until(Duration.ofSeconds(60), () -> canaryInstances() == 0, "the canary's instances to be gone");
        List<Sample> mine = load.samples().stream().filter(s -> s.sentNanos() >= releasedAt).toList();
        long onset = mine.stream().filter(s -> "2.0.0".equals(s.version()) && s.injected()).mapToLong(Sample::doneNanos)
            .min().orElseThrow(() -> new AssertionError("the canary of " + id + " answered no injected 5xx"));
        long last = mine.stream().filter(s -> "2.0.0".equals(s.version())).mapToLong(Sample::doneNanos).max().orElseThrow();
        long errors = mine.stream().filter(s -> "2.0.0".equals(s.version()) && s.status() >= 500).count();
        JsonObject fail = failedWindow(r);
        double onsetWallMs = (onset + wallMinusNano) / 1e6;
        double windowEnd = fail.getLong("toMs") - onsetWallMs;
        double verdict = epochMs(fail.getValue("at")) - onsetWallMs;
        lastCanary.add((last - onset) / 1e6);
        aborted.add((abortedSeen - onset) / 1e6);
        report.format("%5d | %14.0f ms | %16.0f ms | %22.0f ms | %16.0f ms | %d", round, windowEnd, verdict,
            (last - onset) / 1e6, (abortedSeen - onset) / 1e6, errors);
        assertThat(r.getString("message")).as("why " + id + " was aborted").containsIgnoringCase("analysis");
      }
      long stableFailures = load.samples().stream().filter(s -> "1.0.0".equals(s.version()) && s.failed()).count();
      assertThat(stableFailures).as("stable's failed responses").isZero();
    }
    report.format("onset -> last canary answer: median %.0f ms, max %.0f ms", BenchReport.median(lastCanary),
        lastCanary.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    report.format("onset -> release ABORTED:    median %.0f ms, max %.0f ms", BenchReport.median(aborted),
        aborted.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    report.write();
    stack.assertAlive();
  }

  private static JsonObject release(String id) {
    return stack.registry().http().get("/v1/releases/" + id).ok("GET release").json();
  }

  private static JsonObject failedWindow(JsonObject release) {
    JsonArray history = release.getJsonObject("progress", new JsonObject()).getJsonArray("analysisHistory", new JsonArray());
    for (int i = 0; i < history.size(); i++) {
      if ("FAIL".equals(history.getJsonObject(i).getString("verdict"))) {
        return history.getJsonObject(i);
      }
    }
    throw new AssertionError("no failed analysis window in " + release.encode());
  }

  private static double epochMs(Object at) {
    return at instanceof Number n ? n.doubleValue() : Instant.parse(at.toString()).toEpochMilli();
  }

  private static int canaryInstances() {
    int n = 0;
    for (Object o : stack.consulHttp().get("/v1/health/service/" + APP).ok("health").array()) {
      JsonObject service = ((JsonObject) o).getJsonObject("Service");
      if ("2.0.0".equals(service.getJsonObject("Meta", new JsonObject()).getString("version"))) {
        n++;
      }
    }
    return n;
  }
}
