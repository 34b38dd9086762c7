package dev.baton.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar as an operator runs it, against one real stack (Consul, registry, gateway, two agents, with tokens):
 * apply a spec, push artifacts, a first release, then a canary followed by {@code status --watch} to its end while
 * requests flow through the gateway; and the refusals: a bad flag combination, an unknown app, a wrong token, a
 * registry that is down. The watch's plain lines are printed to the test output (docs/cli.md shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

  private static final String APP = "cli-shop";
  private static final Duration QUICK = Duration.ofSeconds(60);
  private static final Duration RELEASE = Duration.ofSeconds(180);

  @TempDir
  static Path dir;

  private static Stack stack;
  private static String registry;
  private static String token;

  @BeforeAll
  static void startTheStack() {
    long t0 = System.nanoTime();
    stack = StackUnderTest.start();
    registry = stack.registry().url();
    token = stack.tokens().operator();
    System.out.printf("CliIT: stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void stopTheStack() {
    if (stack != null) {
      StackUnderTest.shutdown(stack);
      stack.close();
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.run(dir.resolve("config.yaml"), QUICK, CliRun.args(registry, token, args).toArray(String[]::new));
  }

  @Test
  @Order(1)
  void applyPushAndAFirstReleaseWaitedFor() throws Exception {
    Path spec = Files.writeString(dir.resolve("spec.yaml"), String.join("\n", "name: " + APP, "instances: 2",
        "healthPath: /health", "routing:", "  hosts: []", "  pathPrefix: /", ""));
    CliRun applied = cli("app", "apply", "-f", spec.toString());
    assertThat(applied.code()).as(applied.output()).isZero();
    assertThat(new JsonObject(cli("app", "get", APP, "-o", "json").json()).getJsonObject("spec").getInteger("instances"))
        .isEqualTo(2);

    for (String v : List.of("1.0.0", "2.0.0")) {
      Path jar = Repo.path("sample-app/target/sample-app-" + v + ".jar");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
      CliRun pushed = cli("artifact", "push", APP, v, jar.toString());
      assertThat(pushed.code()).as(pushed.output()).isZero();
      assertThat(pushed.output()).contains("sha256 " + sha);
    }
    JsonObject list = new JsonObject(cli("artifact", "list", APP, "-o", "json").json());
    assertThat(list.getJsonArray("artifacts").stream().map(a -> ((JsonObject) a).getString("version")))
        .containsExactlyInAnyOrder("1.0.0", "2.0.0");

    long t0 = System.nanoTime();
    CliRun first = CliRun.run(dir.resolve("config.yaml"), RELEASE,
        CliRun.args(registry, token, "release", APP, "1.0.0", "--wait").toArray(String[]::new));
    System.out.printf("CliIT: first release (2 instances) took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    assertThat(first.code()).as(first.output()).isZero();
    assertThat(first.output()).contains("SUCCEEDED");
  }

  @Test
  @Order(2)
  void aCanaryFollowedByStatusWatchToItsEnd() throws Exception {
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicLong served = new AtomicLong();
    Thread load = new Thread(() -> {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req = HttpRequest.newBuilder(URI.create(stack.gateway().url() + "/")).timeout(Duration.ofSeconds(5)).build();
      while (loading.get()) {
        try {
          if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            served.incrementAndGet();
          }
          Thread.sleep(40); // pacing the load at ~25 req/s, not waiting for an outcome
        } catch (Exception e) {
          // counted as not served; the watch shows the gateway's own figures
        }
      }
    }, "cli-it-load");
    load.setDaemon(true);
    load.start();
    ManagedProcess events = CliRun.start(dir.resolve("config.yaml"),
        CliRun.args(registry, token, "events", "--app", APP, "-o", "json"));
    try {
      Poll.until(QUICK, () -> served.get() > 20, "requests served through the gateway");
      CliRun started = cli("release", APP, "2.0.0", "--canary", "50,100", "--pause", "4s", "--analysis",
          "--min-requests", "5", "--interval", "3s", "--max-p99-ratio", "50", "-o", "json");
      assertThat(started.code()).as(started.output()).isZero();
      JsonObject release = new JsonObject(started.json());
      assertThat(release.getString("toVersion")).isEqualTo("2.0.0");
      assertThat(release.getJsonObject("strategy").getJsonArray("steps")).hasSize(2);

      long t0 = System.nanoTime();
      CliRun watched = CliRun.run(dir.resolve("config.yaml"), RELEASE,
          CliRun.args(registry, token, "status", APP, "--watch").toArray(String[]::new));
      System.out.printf("CliIT: the canary watched to its end in %.1f s; baton status %s --watch printed:%n%s%n",
          (System.nanoTime() - t0) / 1e9, APP, watched.output());
      assertThat(watched.code()).as(watched.output()).isZero();
      assertThat(watched.output()).contains("release " + release.getString("id") + " SUCCEEDED")
          .contains("route 1.0.0 50% · 2.0.0 50%").contains("traffic ").contains("analysis passed");

      JsonArray history = new JsonArray(cli("history", APP, "-o", "json").json());
      assertThat(history).hasSize(2);
      assertThat(history.getJsonObject(1).getString("phase")).isEqualTo("SUCCEEDED");
      JsonArray apps = new JsonArray(cli("apps", "-o", "json").json());
      assertThat(apps.stream().map(a -> (JsonObject) a).filter(a -> APP.equals(a.getString("app")))
          .map(a -> a.getString("version"))).containsExactly("2.0.0");

      Poll.until(QUICK, () -> CliRun.read(events).contains("\"release.succeeded\""), "the event stream to show the end");
    } finally {
      loading.set(false);
      events.stop(Duration.ofSeconds(5));
    }
    List<String> kinds = CliRun.read(events).lines().filter(l -> l.startsWith("{"))
        .map(l -> new JsonObject(l).getString("kind")).toList();
    // The events process may subscribe after the release left PENDING: its first event can be any later one.
    assertThat(kinds).contains("release.route", "release.succeeded");
  }

  @Test
  @Order(3)
  void logsComeFromEachInstancesAgent() {
    CliRun logs = cli("logs", APP, "--lines", "5", "--read-token", stack.tokens().read());
    assertThat(logs.code()).as(logs.output()).isZero();
    JsonArray instances = new JsonObject(cli("app", "get", APP, "-o", "json").json()).getJsonArray("instances");
    for (Object i : instances) {
      assertThat(logs.output()).contains(((JsonObject) i).getString("id") + " | ");
    }
    CliRun unknown = cli("logs", APP, "--instance", "nope");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.output()).startsWith("error: " + APP + " has no instance nope — its instances: ");
  }

  @Test
  @Order(4)
  void aFlagCombinationThatMakesNoSenseChangesNothing() {
    int before = new JsonArray(cli("history", APP, "-o", "json").json()).size();
    CliRun bad = cli("release", APP, "1.0.0", "--canary", "10,100", "--blue-green");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.lines()).containsExactly("baton: choose one strategy: --canary and --blue-green cannot be combined");
    assertThat(new JsonArray(cli("history", APP, "-o", "json").json())).hasSize(before);
  }

  @Test
  @Order(5)
  void anUnknownAppIsExitOneWithTheRegistrysMessage() {
    CliRun r = cli("status", "no-such-app");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).hasSize(1);
    assertThat(r.output()).startsWith("error: ").contains("no-such-app");
  }

  @Test
  @Order(6)
  void aWrongTokenNamesWhereItCameFrom() {
    CliRun wrong = CliRun.run(dir.resolve("config.yaml"), QUICK, "--registry", registry, "--token", "wrong", "apps");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.lines()).containsExactly("baton: the registry at " + registry
        + " refused the token from --token (401 unauthorized) — check the token, or pass --token / set BATON_TOKEN");
    CliRun readOnly = CliRun.run(dir.resolve("config.yaml"), QUICK, "--registry", registry, "--token",
        stack.tokens().read(), "pause", APP + ".20260101T000000-0000");
    assertThat(readOnly.code()).isEqualTo(1);
    assertThat(readOnly.output()).contains("for reading only (403 forbidden)");
  }

  @Test
  @Order(7)
  void aRegistryThatIsDownIsOneLine() {
    String down = "http://127.0.0.1:" + FreePorts.find();
    CliRun r = CliRun.run(dir.resolve("config.yaml"), QUICK, "--registry", down, "apps");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).containsExactly("baton: cannot reach the registry at " + down
        + " (connection refused) — start it with ./baton dev or pass --registry (or BATON_REGISTRY_URL, or a context)");
  }

  @Test
  @Order(8)
  void aContextCarriesTheRegistryAndToken() {
    Path config = dir.resolve("ctx.yaml");
    assertThat(CliRun.run(config, QUICK, "context", "add", "it", "--registry", registry, "--token", token).code()).isZero();
    CliRun apps = CliRun.run(config, QUICK, "apps");
    assertThat(apps.code()).as(apps.output()).isZero();
    assertThat(apps.lines().get(0)).startsWith("APP ");
    assertThat(apps.output()).contains(APP);
  }

  /**
   * Last, as it removes the app: refused without {@code --yes} while instances run (nothing changed), then scaled
   * to 0, its instances stopped by the reconciler, and deleted; the registry answers 404 for it afterwards.
   */
  @Test
  @Order(9)
  void deletingARunningAppNeedsYesThenDrainsAndForgetsIt() {
    CliRun refused = cli("app", "delete", APP);
    assertThat(refused.code()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output()).contains("add --yes").contains("nothing was changed");
    JsonObject still = new JsonObject(cli("app", "get", APP, "-o", "json").json());
    assertThat(still.getJsonObject("spec").getInteger("instances")).isEqualTo(2);

    long t0 = System.nanoTime();
    CliRun deleted = CliRun.run(dir.resolve("config.yaml"), RELEASE,
        CliRun.args(registry, token, "app", "delete", APP, "--yes").toArray(String[]::new));
    System.out.printf("CliIT: app delete --yes took %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, deleted.output());
    assertThat(deleted.code()).as(deleted.output()).isZero();
    assertThat(deleted.output()).contains("app " + APP + " deleted");
    CliRun gone = cli("app", "get", APP);
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.output()).contains("no app " + APP);
    assertThat(new JsonObject(cli("artifact", "list", APP, "-o", "json").json()).getJsonArray("artifacts"))
        .as("artifacts stay").hasSize(2);
  }
}
