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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Release groups on a real stack (docs/registry-api.md, "Release groups"): a group of two apps whose second canary
 * fails its analysis ends with both apps on stable, 100% of their traffic on 1.0.0, after bad groups were refused
 * creating nothing; a group of two healthy canaries moves to 100% only once the slower member finished its step,
 * with the group's operations, phase and events on the way. Each group's history and members are printed.
 */
class ReleaseGroupIT {

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
  void aGroupWhoseSecondCanaryFailsAnalysisAbortsBothMembersBackToStableAndRefusesBadGroupsCreatingNothing() {
    GroupSteps groups = new GroupSteps(given);
    String quick = "{\"type\": \"canary\", \"steps\": [{\"weight\": 50, \"pauseSeconds\": 2}, {\"weight\": 100}],"
        + " \"analysis\": {\"intervalSeconds\": 3, \"failureLimit\": 1, \"minRequests\": 20, \"warmupSeconds\": 1}}";
    for (String app : List.of("gshop", "gbill")) {
      given.givenApp(app, 1, Map.of());
      given.givenServing(app, "1.0.0");
    }
    Map<String, String> both = new java.util.LinkedHashMap<>(Map.of("gshop", "2.0.0"));
    both.put("gbill", "2.0.0");
    JsonObject misspelt = GroupSteps.body(both, quick);
    misspelt.getJsonArray("releases").getJsonObject(1).put("stratgy", new JsonObject());
    groups.refused(misspelt, 400, "invalid_request", "did you mean \"strategy\"");
    groups.refused(new JsonObject().put("releases", new JsonArray()), 400, "invalid_request", "at least one");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 21; i++) {
      many.add(new JsonObject().put("app", "a" + i).put("version", "2.0.0"));
    }
    groups.refused(new JsonObject().put("releases", many), 400, "invalid_request", "at most 20");
    JsonObject twice = GroupSteps.body(Map.of("gshop", "2.0.0"), quick);
    twice.getJsonArray("releases").add(twice.getJsonArray("releases").getJsonObject(0).copy());
    groups.refused(twice, 409, "duplicate_app", "app gshop is named twice");
    groups.refused(GroupSteps.body(Map.of("gshop", "2.0.0", "nosuch", "2.0.0"), quick), 404, "not_found", "no app nosuch");
    groups.refused(GroupSteps.body(Map.of("gshop", "2.0.0", "gbill", "9.9.9"), quick), 422, "artifact_missing",
        "version 9.9.9 of gbill was never uploaded");
    assertThat(given.registry().get("/v1/release-groups").array()).as("no group created").isEmpty();
    for (String app : List.of("gshop", "gbill")) {
      assertThat(given.registry().get("/v1/apps/" + app + "/releases").array()).as("no release of " + app + " created")
          .hasSize(1);
    }

    given.givenApp("gbill", 1, Map.of("FAIL_RATE", "0.3"));
    JsonObject group;
    try (Traffic shopLoad = load("gshop"); Traffic billLoad = load("gbill")) {
      Http.Response created = groups.create(GroupSteps.body(both, quick));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.json().getString("id");
      JsonArray ids = created.json().getJsonArray("releases");
      assertThat(ids).hasSize(2);
      groups.refused(GroupSteps.body(Map.of("gshop", "2.0.0"), quick), 409, "release_in_progress",
          "release " + ids.getString(0) + " of gshop");
      group = groups.awaitPhase(id, "ABORTED");
      shopLoad.close();
      billLoad.close();
      assertThat(shopLoad.failures.get() + billLoad.failures.get()).as("no request went unanswered: " + shopLoad
          + "; " + billLoad).isZero();
    } finally {
      given.givenApp("gbill", 1, Map.of());
    }
    groups.print(group);
    assertThat(group.getString("message")).startsWith("aborted: member gbill aborted: analysis failed");
    assertThat(group.getJsonArray("history").stream().map(o -> ((JsonObject) o).getString("message")))
        .anySatisfy(m -> assertThat(m).startsWith("gbill aborting: analysis failed"));
    JsonObject shop = given.get(group.getJsonArray("releases").getString(0));
    assertThat(shop.getString("phase")).isEqualTo("ABORTED");
    assertThat(shop.getString("message")).startsWith("aborted: group " + group.getString("id")
        + ": member gbill aborting: analysis failed");
    assertThat(given.get(group.getJsonArray("releases").getString(1)).getString("phase")).isEqualTo("ABORTED");
    for (String app : List.of("gshop", "gbill")) {
      given.awaitServedOnly(app, "1.0.0");
      JsonObject route = given.registry().get("/v1/apps/" + app).json().getJsonObject("route");
      assertThat(route.getJsonArray("split")).as(app + "'s route").hasSize(1);
      assertThat(route.getJsonArray("split").getJsonObject(0).getString("version")).isEqualTo("1.0.0");
    }
  }

  @Test
  void aGroupMovesToOneHundredPercentOnlyOnceItsSlowestMemberFinishedItsStep() throws Exception {
    GroupSteps groups = new GroupSteps(given);
    for (String app : List.of("gfast", "gslow")) {
      given.givenApp(app, 1, Map.of());
      given.givenServing(app, "1.0.0");
    }
    JsonObject body = GroupSteps.body(Map.of("gfast", "2.0.0"), "{\"type\": \"canary\", \"steps\": [{\"weight\": 50,"
        + " \"pauseSeconds\": 1}, {\"weight\": 100}]}");
    body.getJsonArray("releases").addAll(GroupSteps.body(Map.of("gslow", "2.0.0"), "{\"type\": \"canary\", \"steps\":"
        + " [{\"weight\": 50, \"pause\": \"manual\"}, {\"weight\": 100}]}").getJsonArray("releases"));
    JsonObject group;
    try (Events events = new Events(stack, null)) {
      Http.Response created = groups.create(body);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.json().getString("id");
      JsonObject paused = groups.awaitPhase(id, "PAUSED");
      assertThat(paused.getString("message")).as("gfast waits for the group, gslow for promote")
          .contains("gfast step 1/2 waiting").contains("gslow step 1/2 paused");
      groups.refusedOperation(id, "resume", "resume applies to none of its members",
          "gslow: release " + paused.getJsonArray("releases").getString(1) + " is not paused by an operator");
      assertThat(given.registry().post("/v1/release-groups/" + id + "/promote", "").status()).isEqualTo(200);
      group = groups.awaitPhase(id, "SUCCEEDED");
      groups.refusedOperation(id, "abort", "is SUCCEEDED", "applies only to a group still running");
      assertThat(given.registry().get("/v1/release-groups").array().getJsonObject(0).getString("id"))
          .as("newest first").isEqualTo(id);
      Poll.until(Duration.ofSeconds(10), () -> events.kinds().containsAll(List.of("group.created", "group.member",
          "group.paused", "group.progressing", "group.succeeded")), "group events on /v1/events: " + events.kinds());
      assertThat(events.data("group.succeeded")).singleElement().satisfies(e -> {
        assertThat(e.getString("subject")).isEqualTo(id);
        assertThat(e.getJsonObject("data").getJsonArray("apps")).containsExactly("gfast", "gslow");
      });
    }
    groups.print(group);
    String id = group.getString("id");
    JsonObject fast = given.get(group.getJsonArray("releases").getString(0));
    JsonObject slow = given.get(group.getJsonArray("releases").getString(1));
    assertThat(group.getString("message")).isEqualTo("every member succeeded: gfast 2.0.0, gslow 2.0.0");
    assertThat(messages(fast)).anySatisfy(m -> assertThat(m).startsWith("group " + id + ": step 1/2 done, ready to"
        + " promote; waiting for gslow (step 1/2: paused: 50% to 2.0.0; paused until promote)"));
    assertThat(at(fast, "step 1/2 (50%) done")).as("gfast leaves 50% only after gslow did")
        .isAfterOrEqualTo(at(slow, "step 1/2 (50%) done"));
    for (String app : List.of("gfast", "gslow")) {
      given.awaitServedOnly(app, "2.0.0");
    }
  }

  private static List<String> messages(JsonObject release) {
    return release.getJsonArray("history").stream().map(o -> ((JsonObject) o).getString("message")).toList();
  }

  /** When {@code release}'s history first says something starting with {@code message}. */
  private static java.time.Instant at(JsonObject release, String message) {
    return release.getJsonArray("history").stream().map(o -> (JsonObject) o)
        .filter(e -> e.getString("message").startsWith(message)).map(e -> java.time.Instant.parse(e.getString("at")))
        .findFirst().orElseThrow(() -> new AssertionError("no '" + message + "' in " + release.encodePrettily()));
  }

  private static Traffic load(String app) {
    return new Traffic(new Http(stack.gateway().url()), StackFixture.host(app), Duration.ofMinutes(3),
        Duration.ofMillis(5));
  }
}
