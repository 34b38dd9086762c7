package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * The release group a release belongs to (docs/registry-api.md, "Release groups"), and the step it finished and
 * waits at for the other members ({@code heldAt}, -1 when it waits at none). A release whose step index is above
 * {@code heldAt} has moved on; a stale {@code heldAt} below the step means nothing.
 */
public record GroupLink(String id, int heldAt) {

  public static GroupLink of(String id) {
    return new GroupLink(id, -1);
  }

  /** True when the member finished step {@code step} and waits there for the others. */
  public boolean heldAt(int step) {
    return heldAt == step;
  }

  public GroupLink held(int step) {
    return new GroupLink(id, step);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("heldAt", heldAt);
  }

  /** Null for a release stored without a group. */
  public static GroupLink fromJson(JsonObject json) {
    return json == null || json.getString("id") == null ? null : new GroupLink(json.getString("id"),
        json.getInteger("heldAt", -1));
  }
}
