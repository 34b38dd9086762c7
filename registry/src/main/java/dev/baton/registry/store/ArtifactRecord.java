package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.ArtifactMeta;
import dev.baton.common.model.Names;
import dev.baton.common.model.ValidationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * A record under {@code baton/artifacts/} as read from Consul KV, judged before anything uses it
 * (docs/ARCHITECTURE.md, Registry, "Artifacts"): whoever can write KV can write it, and its fields name
 * a file the open download serves. {@link #parse} is pure: a record is {@link Valid} only when its key is
 * {@code baton/artifacts/<app>/<version>} with valid names, its value is an {@link ArtifactMeta} that
 * validates, and the app and version it names are those of its key.
 */
public sealed interface ArtifactRecord {

  String key();

  /** The ModifyIndex to check-and-set against. */
  long index();

  /** A record that may be used; {@link #file} is where its bytes live. */
  record Valid(String key, long index, ArtifactMeta meta) implements ArtifactRecord {

    /**
     * {@code <root>/<app>/<version>.<sha256>}, normalised and checked to stay under {@code root}. The
     * validated names cannot leave it; the check stays so that a future name rule cannot either.
     */
    public Path file(Path root) {
      Path base = root.toAbsolutePath().normalize();
      Path file = base.resolve(meta.app()).resolve(meta.version() + "." + meta.sha256()).normalize();
      if (!file.startsWith(base) || !file.getParent().getParent().equals(base)) {
        throw new InvalidArtifactException(key, "its file would not lie directly in the directory of "
            + meta.app() + " under the artifact root");
      }
      return file;
    }
  }

  /** A record that is never used: the GET answers 500 {@code artifact_invalid}, a release of it 422. */
  record Invalid(String key, long index, String problem) implements ArtifactRecord {

    public InvalidArtifactException failure() {
      return new InvalidArtifactException(key, problem);
    }
  }

  /** Judges the raw KV value at {@code key}. */
  static ArtifactRecord parse(String key, String value, long index) {
    String[] names = coordinates(key);
    if (names == null) {
      return new Invalid(key, index, "the key is not of the form " + ConsulKeys.ARTIFACTS + "<app>/<version>");
    }
    if (value == null || value.isBlank()) {
      return new Invalid(key, index, "the value is empty");
    }
    ArtifactMeta meta;
    try {
      meta = ArtifactMeta.fromJson(new JsonObject(value));
    } catch (DecodeException | ClassCastException e) {
      return new Invalid(key, index, "the value is not a JSON object");
    } catch (ValidationException e) {
      return new Invalid(key, index, e.getMessage());
    }
    if (!meta.app().equals(names[0]) || !meta.version().equals(names[1])) {
      return new Invalid(key, index, "it names " + meta.app() + " " + meta.version() + " but its key names "
          + names[0] + " " + names[1]);
    }
    return new Valid(key, index, meta);
  }

  /** {@code [app, version]} of a key {@code baton/artifacts/<app>/<version>} with valid names, else null. */
  static String[] coordinates(String key) {
    if (key == null || !key.startsWith(ConsulKeys.ARTIFACTS)) {
      return null;
    }
    String[] parts = key.substring(ConsulKeys.ARTIFACTS.length()).split("/", -1);
    return parts.length == 2 && Names.isApp(parts[0]) && Names.isVersion(parts[1]) ? parts : null;
  }
}
