package dev.baton.common.model;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Where an agent downloads an artifact from, and the sha256 it must have before anything runs. */
public record ArtifactRef(String url, String sha256) {

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("sha256", sha256);
  }

  static ArtifactRef read(Fields f) {
    String url = f.string("url", true);
    if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
      f.error("url", "must be an http:// or https:// URL");
      url = null;
    }
    String sha = f.matching("sha256", true, Names.SHA256, "must be 64 hexadecimal characters");
    return url == null || sha == null ? null : new ArtifactRef(url, sha.toLowerCase(Locale.ROOT));
  }
}
