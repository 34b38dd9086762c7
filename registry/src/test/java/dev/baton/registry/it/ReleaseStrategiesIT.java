package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Notify;
import dev.baton.registry.hooks.Receiver;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every strategy end to end: real Consul, two real agents running real sample-app instances, a real
 * gateway and the registry, each its own process. Apps are independent, so the tests share one stack.
 */
class ReleaseStrategiesIT {

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
  void rollingSurgeUnderLoadLosesNoRequestAndAppRollbackFlipsBack() {
    given.givenApp("surge", 2, Map.of());
    given.givenServing("surge", "1.0.0");

    String id;
    try (Traffic traffic = new Traffic(given.gateway("surge").with("Host", StackFixture.host("surge")),
        StackFixture.host("surge"), Duration.ofMinutes(3), Duration.ofMillis(20))) {
      id = given.release("surge", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":1}");
      given.awaitPhase(id, "SUCCEEDED");
      traffic.close();
      assertThat(traffic.bad()).as(traffic.toString()).isZero();
      assertThat(traffic.byVersion.keySet()).as(traffic.toString()).contains("1.0.0", "2.0.0");
    }
    given.awaitServedOnly("surge", "2.0.0");
    Poll.until(Duration.ofSeconds(10), () -> given.passing("surge").equals(Map.of("2.0.0", 2)),
        "only 2 passing 2.0.0 instances in Consul");
    JsonObject release = given.get(id);
    assertThat(release.getString("fromVersion")).isEqualTo("1.0.0");
    assertThat(release.getJsonArray("history").encode()).contains("routing by ready capacity");

    JsonObject rollback = given.registry().post("/v1/apps/surge/rollback", "").json();
    assertThat(rollback.getString("toVersion")).isEqualTo("1.0.0");
    given.awaitPhase(rollback.getString("id"), "SUCCEEDED");
    given.awaitServedOnly("surge", "1.0.0");
  }

  @Test
  void rollingInPlaceReplacesEachInstanceOnItsOwnAgent() {
    given.givenApp("inplace", 2, Map.of());
    given.givenServing("inplace", "1.0.0");
    List<String> before = agentsOf("inplace", "1.0.0");

    String id = given.release("inplace", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"in-place\",\"maxUnavailable\":1}");
    given.awaitPhase(id, "SUCCEEDED");
    given.awaitServedOnly("inplace", "2.0.0");
    Poll.until(Duration.ofSeconds(10), () -> agentsOf("inplace", "2.0.0").equals(before),
        "2.0.0 on the same agents as 1.0.0 was: " + before);
  }

  @Test
  void blueGreenIsReachableOnlyByPreviewUntilPromotedThenSucceedsWithBlueWarmAndARollbackFlipsBackAtOnce() {
    given.givenApp("bg", 2, Map.of());
    given.givenServing("bg", "1.0.0");

    String id = given.release("bg", "2.0.0", "{\"type\":\"blue-green\",\"scaleDownDelaySeconds\":300}");
    given.awaitPhase(id, "PAUSED");
    assertThat(given.served("bg", 20, null, null)).isEqualTo(Map.of("1.0.0", 20));
    assertThat(given.served("bg", 5, "X-Baton-Preview", "green")).isEqualTo(Map.of("2.0.0", 5));

    given.operate(id, "promote");
    JsonObject done = given.awaitPhase(id, "SUCCEEDED");
    System.out.println("blue-green promoted: " + done.getString("message"));
    assertThat(done.getString("message")).contains("blue 1.0.0 stays warm until");
    given.awaitServedOnly("bg", "2.0.0");
    assertThat(given.passing("bg")).as("blue warm after SUCCEEDED").containsEntry("1.0.0", 2);
    Http.Response abort = given.registry().post("/v1/releases/" + id + "/abort", "");
    assertThat(abort.status()).isEqualTo(409);
    assertThat(abort.json().getString("message")).contains("/v1/apps/bg/rollback");
    // An operator tries a split by hand while blue is warm, then rolls back: the rollback says what it replaced.
    Http.Response override = given.registry().put("/v1/apps/bg/route",
        "{\"split\":[{\"version\":\"2.0.0\",\"weight\":70},{\"version\":\"1.0.0\",\"weight\":30}]}");
    assertThat(override.status()).as(override.toString()).isEqualTo(200);
    long revision = given.registry().get("/v1/apps/bg").json().getJsonObject("route").getLong("revision");

    JsonObject rollback = given.registry().post("/v1/apps/bg/rollback", "").json();
    JsonObject back = given.awaitPhase(rollback.getString("id"), "SUCCEEDED");
    System.out.println("rollback while blue was warm: " + back.getJsonArray("history").stream()
        .map(e -> ((JsonObject) e).getString("message")).toList());
    assertThat(back.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("message")))
        .anySatisfy(m -> assertThat(m).contains("replaces the manual route override of")
            .contains("revision " + revision + ": 2.0.0 70%, 1.0.0 30%"));
    given.awaitServedOnly("bg", "1.0.0");
    assertThat(given.registry().get("/v1/apps/bg").json().getJsonObject("route").getLong("revision"))
        .as("the rollback is one route revision").isEqualTo(revision + 1);
    assertThat(given.passing("bg")).as("green stopped, nothing started").doesNotContainKey("2.0.0")
        .containsEntry("1.0.0", 2);
  }

  @Test
  void canaryStepsKeepEachStickyUserOnOneVersionAndPromoteToAll() {
    given.givenApp("canary", 2, Map.of());
    given.givenServing("canary", "1.0.0");

    String id = given.release("canary", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":50,\"pause\":\"manual\"},"
        + "{\"weight\":100}],\"sticky\":{\"header\":\"X-User-Id\"}}");
    JsonObject paused = given.awaitPhase(id, "PAUSED");
    assertThat(paused.getInteger("step")).isZero();
    // The gateway learns the canary instance from Consul's health API on its own schedule, and until then
    // maps canary users onto stable: sample until two whole samples in a row agree and split the users over
    // both versions (one sample can straddle the moment the canary became routable), then check that every
    // user keeps the version it got.
    Map<String, String> versionOfUser = Poll.value(Duration.ofSeconds(30), () -> {
      Map<String, String> first = sampleUsers();
      Map<String, String> second = sampleUsers();
      return first.equals(second) && new TreeSet<>(first.values()).equals(new TreeSet<>(Set.of("1.0.0", "2.0.0")))
          ? first : null;
    }, "sticky users to be split over 1.0.0 and 2.0.0; gateway routes: "
        + new Http(stack.gateway().adminUrl()).withToken(stack.tokens().read()).get("/v1/routes").body());
    versionOfUser.forEach((user, v) ->
        assertThat(given.served("canary", 4, "X-User-Id", user)).as(user + " sticks to " + v).isEqualTo(Map.of(v, 4)));

    given.operate(id, "promote");
    given.awaitPhase(id, "SUCCEEDED");
    given.awaitServedOnly("canary", "2.0.0");
    versionOfUser.forEach((user, v) -> {
      if (v.equals("2.0.0")) {
        assertThat(given.served("canary", 1, "X-User-Id", user)).as(user + " never flips back").containsOnlyKeys("2.0.0");
      }
    });
    Poll.until(Duration.ofSeconds(10), () -> given.passing("canary").equals(Map.of("2.0.0", 2)),
        "stable stopped, 2 canary instances");
  }

  /**
   * A canary with a step gate and an app with a notification receiver, both a real HTTP server in this test: the
   * gate answers 503 (the canary holds at 0%, stable serves everything) until it is let go, then 200 (the canary
   * goes on to the end); the receiver gets the release's events, each signed with the app's secret.
   */
  @Test
  void aStepGateHoldsTheCanaryUntilItAnswers200AndTheReceiverGetsSignedEvents() throws Exception {
    String secret = "it-secret-0123456789";
    try (Receiver receiver = new Receiver().holding("/step", 503)) {
      given.givenApp("gated", 2, Map.of());
      JsonObject spec = given.registry().get("/v1/apps/gated").json().getJsonObject("spec");
      spec.remove("name");
      spec.put("notify", new JsonArray().add(new JsonObject().put("url", receiver.url("/notify")).put("secret", secret)));
      Http.Response put = given.registry().put("/v1/apps/gated", spec);
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
      JsonObject shown = given.registry().get("/v1/apps/gated").json().getJsonObject("spec");
      assertThat(shown.encode()).as("the secret is never shown").doesNotContain(secret).contains(Notify.REDACTED);
      shown.remove("name");
      assertThat(given.registry().put("/v1/apps/gated", shown).status()).as("sent back as shown, the secret is kept")
          .isEqualTo(200);
      Http.Response badSpec = given.registry().put("/v1/apps/gated", shown.copy().put("notify", new JsonArray()
          .add(new JsonObject().put("url", "file:///etc/passwd").put("secret", secret))));
      assertThat(badSpec.status()).as(badSpec.toString()).isEqualTo(400);
      assertThat(badSpec.body()).contains("notify[0].url");
      given.givenServing("gated", "1.0.0");
      int releases = given.registry().get("/v1/apps/gated/releases").array().size();
      for (JsonObject bad : List.of(new JsonObject().put("on", "before-step").put("url", receiver.url("/step")),
          new JsonObject().put("on", "step").put("url", "ftp://smoke/check"))) {
        Http.Response refused = given.registry().post("/v1/apps/gated/releases", new JsonObject().put("version", "2.0.0")
            .put("gates", new JsonArray().add(bad)));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("gates[0].");
      }
      assertThat(given.registry().get("/v1/apps/gated/releases").array()).as("nothing started").hasSize(releases);

      String id = given.release("gated", "2.0.0", "{\"type\":\"canary\",\"steps\":[{\"weight\":50,\"pauseSeconds\":2},"
          + "{\"weight\":100}]}", new JsonArray().add(new JsonObject().put("on", "step").put("url", receiver.url("/step"))
          .put("timeoutSeconds", 120)));
      Poll.until(StackFixture.RELEASE_TIMEOUT, () -> given.get(id).getString("message").contains("answered 503"),
          "the step gate to say 503");
      assertThat(given.served("gated", 20, null, null)).as("held: stable serves everything").isEqualTo(Map.of("1.0.0", 20));
      receiver.letGo("/step");
      JsonObject done = given.awaitPhase(id, "SUCCEEDED");
      given.awaitServedOnly("gated", "2.0.0");

      System.out.println("gated release " + id + " history:");
      done.getJsonArray("history").forEach(h -> System.out.println("  " + ((JsonObject) h).getString("at") + " "
          + ((JsonObject) h).getString("phase") + " " + ((JsonObject) h).getString("message")));
      List<String> history = done.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("message")).toList();
      int no = indexOf(history, "(before 50% to 2.0.0), attempt 1: 503");
      int yesAt = -1;
      for (int i = 0; i < history.size(); i++) {
        if (history.get(i).contains("(before 50% to 2.0.0), attempt") && history.get(i).endsWith("passed")) {
          yesAt = i;
        }
      }
      assertThat(no).as("history: %s", history).isNotNegative();
      assertThat(yesAt).as("a 200 for the first step: %s", history).isGreaterThan(no);
      assertThat(indexOf(history, "routing 50% to 2.0.0")).as("the weight came after the 200").isGreaterThan(yesAt);
      assertThat(receiver.to("/step")).allSatisfy(g -> assertThat(g.headers()).doesNotContainKey("authorization"));

      Poll.until(Duration.ofSeconds(30), () -> receiver.to("/notify").stream()
          .anyMatch(g -> "release.succeeded".equals(g.json().getString("kind")) && id.equals(g.json().getString("subject"))),
          "the receiver to hear of the success");
      List<Receiver.Got> events = receiver.to("/notify");
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      for (Receiver.Got g : events) {
        assertThat(g.headers().get("x-baton-signature")).as("signed with the app's secret")
            .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(g.body())));
      }
      List<String> kinds = events.stream().filter(g -> id.equals(g.json().getString("subject")))
          .map(g -> g.json().getString("kind")).toList();
      System.out.println("receiver got " + events.size() + " signed events, of " + id + ": " + kinds);
      assertThat(kinds).contains("release.progressing", "release.gate", "release.route").last().isEqualTo("release.succeeded");
    }
  }

  private static int indexOf(List<String> history, String part) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  /** The version each of 30 sticky users is served right now. */
  private static Map<String, String> sampleUsers() {
    Map<String, String> sample = new HashMap<>();
    for (int user = 0; user < 30; user++) {
      sample.put("user-" + user, given.served("canary", 1, "X-User-Id", "user-" + user).keySet().iterator().next());
    }
    return sample;
  }

  /** Agents of the passing instances of {@code version}, sorted (one entry per instance). */
  private static List<String> agentsOf(String app, String version) {
    List<String> out = new ArrayList<>();
    given.instances(app).forEach(o -> {
      JsonObject i = (JsonObject) o;
      if (version.equals(i.getString("version")) && "passing".equals(i.getString("status"))) {
        out.add(i.getString("agent"));
      }
    });
    out.sort(null);
    return out;
  }
}
