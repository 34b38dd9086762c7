package dev.baton.registry.it;

import static dev.baton.registry.it.KvStoreIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.GroupLink;
import dev.baton.common.model.GroupPhase;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.Strategy;
import dev.baton.registry.group.GroupCoordinator;
import dev.baton.registry.release.group.GroupView;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.GroupStore;
import dev.baton.registry.store.KvStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Release groups on a real stack (docs/registry-api.md, "Release groups"): a group of two apps whose second canary
 * fails its analysis ends with both apps on stable, 100% of their traffic on 1.0.0, after bad groups were refused
 * creating nothing; a group of two healthy canaries moves to 100% only once the slower member finished its step,
 * with the group's operations, phase and events on the way. Each group's history and members are printed. In KV
 * alone: a group whose later member cannot be written leaves nothing behind, and a coordinator built from KV (as a new
 * leader's is) sees the other members and writes the group's history.
 */
class ReleaseGroupIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static StackFixture given;
  /** The class's Consul as the registry's stores see it, for the KV-level cases. */
  static Vertx vertx;
  static KvStore kv;

  @BeforeAll
  static void start() {
    stack = StackFixture.stack(CONSUL, 2).start();
    given = new StackFixture(stack);
    vertx = Vertx.vertx();
    kv = new KvStore(CONSUL.client(vertx));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aGroupWhoseSecondCanaryFailsAnalysisAbortsBothMembersBackToStableAndRefusesBadGroupsCreatingNothing() {
    GroupSteps groups = new GroupSteps(given);
    String quick = "{\"type\": \"canary\", \"steps\": [{\"weight\": 50, \"pauseSeconds\": 2}, {\"weight\": 100}],"
        + " \"analysis\": {\"intervalSeconds\": 3, \"failureLimit\": 1, \"minRequests\": 20, \"warmupSeconds\": 1,"
        // Errors decide here: a fresh canary JVM's first seconds once read p99 81.9 ms against 13.4 on a healthy member
        // (the p99 rule has tests of its own, CanaryAnalysisIT).
        + " \"minP99IncreaseMs\": 1000}}";
    groups.serving("gshop", "gbill");
    int groupsBefore = given.registry().get("/v1/release-groups").array().size();
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
    groups.refused(GroupSteps.body(Map.of("gshop", "2.0.0", "nosuch", "2.0.0"), quick), 404, "not_found",
        "no app nosuch");
    groups.refused(GroupSteps.body(Map.of("gshop", "2.0.0", "gbill", "9.9.9"), quick), 422, "artifact_missing",
        "version 9.9.9 of gbill was never uploaded");
    assertThat(given.registry().get("/v1/release-groups").array()).as("no group created").hasSize(groupsBefore);
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
    groups.serving("gfast", "gslow");
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
    // gslow's own state when gfast finished its step: paused at 50% as a rule, still routing 50% when its instance
    // started a moment after gfast's (both are fresh JVMs).
    assertThat(messages(fast)).anySatisfy(m -> assertThat(m).matches("group " + java.util.regex.Pattern.quote(id)
        + ": step 1/2 done, ready to promote; waiting for gslow \\(step 1/2: (paused: 50% to 2\\.0\\.0; paused until"
        + " promote|routing 50% to 2\\.0\\.0)\\)"));
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

  static Release member(String group, String app) {
    return new Release(app + ".20260101T000000-0001", app, "1.0.0", "2.0.0", Strategy.fromJson(new JsonObject(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":20,\"pauseSeconds\":5},{\"weight\":100}]}")),
        ReleasePhase.PROGRESSING, 0, "m", List.of(new HistoryEntry("t", ReleasePhase.PROGRESSING, "m")),
        new JsonObject(), ReleaseConfig.NONE, List.of(), GroupLink.of(group));
  }

  static ReleaseGroup group(String id, List<Release> members) {
    return new ReleaseGroup(id, "t0", members.stream().map(Release::id).toList(),
        members.stream().map(Release::app).toList(), GroupPhase.PROGRESSING, "created",
        List.of(new ReleaseGroup.Entry("t0", GroupPhase.PROGRESSING, null, "created")), List.of());
  }

  @Test
  void aGroupWhoseLaterMemberCannotBeWrittenLeavesNothingBehind() throws Exception {
    GroupStore groups = new GroupStore(kv);
    ReleaseStore releases = new ReleaseStore(kv);
    Release first = member("g-20000101T000000-half", "half-a");
    Release clash = member("g-20000101T000000-half", "half-b");
    await(releases.create(clash)); // the later member's key is taken: its create-only write must fail
    ReleaseGroup half = group("g-20000101T000000-half", List.of(first, clash));
    assertThatThrownBy(() -> await(groups.create(half, List.of(first, clash))))
        .hasCauseInstanceOf(ConflictException.class);
    assertThat(await(kv.entry(ConsulKeys.release(first.app(), first.id())))).as("the earlier member").isEmpty();
    assertThat(await(groups.get("g-20000101T000000-half"))).as("the group").isEmpty();
  }

  @Test
  void aCoordinatorStartedFromKvAloneSeesTheOtherMembersAndWritesTheGroupsHistory() throws Exception {
    GroupStore groups = new GroupStore(kv);
    ReleaseStore releases = new ReleaseStore(kv);
    Release shop = member("g-20000101T000000-kv01", "kv-shop");
    Release bill = member("g-20000101T000000-kv01", "kv-bill");
    await(groups.create(group("g-20000101T000000-kv01", List.of(shop, bill)), List.of(shop, bill)));

    List<BatonEvent> events = new CopyOnWriteArrayList<>();
    GroupCoordinator leader = new GroupCoordinator(groups, releases, events::add, "registry-2",
        System::currentTimeMillis, 0);
    GroupView seen = await(leader.view(shop));
    assertThat(seen.others()).singleElement().satisfies(m -> {
      assertThat(m.app()).isEqualTo("kv-bill");
      assertThat(m.promotion()).isOne();
    });

    Versioned<Release> stored = await(releases.get(bill.id())).orElseThrow();
    Release held = stored.value().withGroup(stored.value().group().held(0)).withMessage("waiting");
    await(releases.save(stored, held));
    vertx.runOnContext(v -> leader.saved(held));
    Poll.until(Duration.ofSeconds(10), () -> await(groups.get("g-20000101T000000-kv01")).orElseThrow().value()
        .history().stream()
        .anyMatch(e -> e.message().equals("kv-bill finished step 1/2, waiting for the group")),
        "the group's history to say kv-bill waits");
    Poll.until(Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e.kind().equals("group.member")),
        "a group.member event");
    assertThat(events).allSatisfy(e -> assertThat(e.subject()).isEqualTo("g-20000101T000000-kv01"));
  }
}
