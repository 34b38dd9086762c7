package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Release-group steps over a running stack (docs/registry-api.md, "Release groups"), in the operator's words. */
final class GroupSteps {

  private final StackFixture given;

  GroupSteps(StackFixture given) {
    this.given = given;
  }

  /** A group body: {@code app -> version} with one strategy for every member. */
  static JsonObject body(Map<String, String> versions, String strategyJson) {
    JsonArray releases = new JsonArray();
    versions.forEach((app, v) -> releases.add(new JsonObject().put("app", app).put("version", v)
        .put("strategy", new JsonObject(strategyJson))));
    return new JsonObject().put("releases", releases);
  }

  /** Given each app, of one instance, serving 1.0.0: their first releases run side by side. */
  void serving(String... apps) {
    for (String app : apps) {
      given.givenApp(app, 1, Map.of());
    }
    java.util.List<String> ids = java.util.Arrays.stream(apps).map(app -> given.release(app, "1.0.0", null)).toList();
    ids.forEach(id -> given.awaitPhase(id, "SUCCEEDED"));
    for (String app : apps) {
      given.awaitServedOnly(app, "1.0.0");
    }
  }

  Http.Response create(JsonObject body) {
    return given.registry().post("/v1/release-groups", body);
  }

  /** A refusal: {@code status} with {@code code}, its message containing {@code says}. */
  void refused(JsonObject body, int status, String code, String says) {
    Http.Response r = create(body);
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(r.toString()).isEqualTo(code);
    assertThat(r.json().getString("message")).as(r.toString()).contains(says);
  }

  /** An operation on group {@code id} refused with 409 {@code invalid_transition}, its message saying each part. */
  void refusedOperation(String id, String op, String... says) {
    Http.Response r = given.registry().post("/v1/release-groups/" + id + "/" + op, "");
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.json().getString("error")).isEqualTo("invalid_transition");
    assertThat(r.json().getString("message")).as(r.toString()).contains(says);
  }

  JsonObject get(String id) {
    return given.registry().get("/v1/release-groups/" + id).json();
  }

  JsonObject awaitPhase(String id, String phase) {
    return Poll.value(StackFixture.RELEASE_TIMEOUT, () -> {
      JsonObject g = get(id);
      String now = g.getString("phase");
      if (!phase.equals(now) && ("SUCCEEDED".equals(now) || "ABORTED".equals(now) || "FAILED".equals(now))) {
        throw new AssertionError("group ended " + now + " instead of " + phase + ": " + g.encodePrettily());
      }
      return phase.equals(now) ? g : null;
    }, "release group " + id + " to be " + phase);
  }

  /** Prints the group's history and each member's final phase, route and history, for the closing note. */
  void print(JsonObject group) {
    System.out.println("== release group " + group.getString("id") + ": " + group.getString("phase") + " - "
        + group.getString("message"));
    group.getJsonArray("history").forEach(o -> {
      JsonObject e = (JsonObject) o;
      System.out.println("  " + e.getString("at") + " " + e.getString("phase") + " " + e.getString("message"));
    });
    group.getJsonArray("members").forEach(o -> {
      JsonObject m = (JsonObject) o;
      JsonObject route = given.registry().get("/v1/apps/" + m.getString("app")).json().getJsonObject("route");
      System.out.println("  member " + m.getString("app") + " " + m.getString("release") + ": " + m.getString("phase")
          + " - " + m.getString("message") + " | route " + (route == null ? null : route.getJsonArray("split")));
      given.get(m.getString("release")).getJsonArray("history").forEach(h -> System.out.println("      "
          + ((JsonObject) h).getString("phase") + " " + ((JsonObject) h).getString("message")));
    });
  }
}
