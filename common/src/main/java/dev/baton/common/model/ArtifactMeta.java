package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/** Metadata of an uploaded artifact (KV {@code baton/artifacts/<app>/<version>}); {@code uploadedAt} is ISO-8601. */
public record ArtifactMeta(String app, String version, String sha256, long size, String uploadedAt, String url) {

  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("version", version).put("sha256", sha256).put("size", size)
        .put("uploadedAt", uploadedAt).put("url", url);
  }

  public static ArtifactMeta fromJson(JsonObject json) {
    return new ArtifactMeta(json.getString("app"), json.getString("version"), json.getString("sha256"),
        json.getLong("size", 0L), json.getString("uploadedAt"), json.getString("url"));
  }
}
