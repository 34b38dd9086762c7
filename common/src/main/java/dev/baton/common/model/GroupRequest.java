package dev.baton.common.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@code POST /v1/release-groups} (docs/registry-api.md, "Release groups"): between 1 and
 * {@value #MAX_MEMBERS} releases, each an app and a release request read with the very rules of
 * {@code POST /v1/apps/{app}/releases} ({@link ReleaseRequest#read}), strictly.
 */
public record GroupRequest(List<Member> releases) {

  public static final int MAX_MEMBERS = 20;

  /** One release of the group. */
  public record Member(String app, ReleaseRequest request) {

    public JsonObject toJson() {
      return request.toJson().put("app", app);
    }
  }

  public GroupRequest {
    releases = List.copyOf(releases);
  }

  public JsonObject toJson() {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    releases.forEach(m -> out.add(m.toJson()));
    return new JsonObject().put("releases", out);
  }

  public static GroupRequest fromJson(JsonObject json) {
    Fields f = Fields.strict(json);
    List<Member> members = f.objects("releases", true, m -> {
      String app = m.matching("app", true, Names.APP, "must match [a-z0-9][a-z0-9-]{0,62}");
      ReleaseRequest request = ReleaseRequest.read(m);
      return app == null || request.version() == null ? null : new Member(app, request);
    });
    if (json != null && json.getValue("releases") instanceof io.vertx.core.json.JsonArray a) {
      if (a.isEmpty()) {
        f.error("releases", "must name at least one release");
      } else if (a.size() > MAX_MEMBERS) {
        f.error("releases", "may name at most " + MAX_MEMBERS + " releases, got " + a.size());
      }
    }
    f.throwIfInvalid();
    return new GroupRequest(members);
  }
}
