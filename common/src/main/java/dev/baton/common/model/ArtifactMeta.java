package dev.baton.common.model;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Metadata of an uploaded artifact (KV {@code baton/artifacts/<app>/<version>}); {@code uploadedAt} is ISO-8601.
 * Whoever can write Consul KV can write this record, so {@link #fromJson} trusts none of it: names follow
 * {@link Names}, the digest is 64 lowercase hex characters (what the registry writes), the size is ≥ 0.
 */
public record ArtifactMeta(String app, String version, String sha256, long size, String uploadedAt, String url) {

  /** The digest exactly as the registry stores it: lowercase, so it is also a safe file-name part. */
  public static final Pattern STORED_SHA256 = Pattern.compile("[0-9a-f]{64}");

  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("version", version).put("sha256", sha256).put("size", size)
        .put("uploadedAt", uploadedAt).put("url", url);
  }

  /** Reads and validates a record; a {@link ValidationException} names every bad field. */
  public static ArtifactMeta fromJson(JsonObject json) {
    Fields f = Fields.of(json);
    String app = f.matching("app", true, Names.APP, "is not a valid app name");
    String version = f.matching("version", true, Names.VERSION, "is not a valid version");
    String sha = f.matching("sha256", true, STORED_SHA256, "must be 64 lowercase hexadecimal characters");
    long size = size(f, json == null ? null : json.getValue("size"));
    String uploadedAt = f.string("uploadedAt", false);
    String url = f.string("url", false);
    f.throwIfInvalid();
    return new ArtifactMeta(app, version, sha, size, uploadedAt, url);
  }

  private static long size(Fields f, Object v) {
    if (v == null) {
      f.error("size", "is required");
    } else if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
      f.error("size", "must be a whole number of bytes ≥ 0, got " + v);
    } else {
      return ((Number) v).longValue();
    }
    return -1;
  }
}
