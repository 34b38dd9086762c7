package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.Release;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Releases in KV {@code baton/releases/<app>/<id>}. A release id is {@code <app>.<timestamp>-<suffix>}:
 * app names hold no dot, so the app (and the key) follows from the id alone.
 */
public final class ReleaseStore {

  private final KvStore kv;

  public ReleaseStore(KvStore kv) {
    this.kv = kv;
  }

  /** The app of a release id, or empty when the id is not of the form {@code <app>.<suffix>}. */
  public static Optional<String> appOf(String id) {
    int dot = id == null ? -1 : id.indexOf('.');
    return dot <= 0 || dot == id.length() - 1 ? Optional.empty() : Optional.of(id.substring(0, dot));
  }

  public Future<Optional<Versioned<Release>>> get(String id) {
    Optional<String> app = appOf(id);
    if (app.isEmpty() || id.contains("/")) {
      return Future.succeededFuture(Optional.empty());
    }
    return kv.get(ConsulKeys.release(app.get(), id)).map(v -> v.map(d -> d.map(Release::fromJson)));
  }

  /** Releases of {@code app}, oldest first. */
  public Future<List<Versioned<Release>>> list(String app) {
    return kv.list(ConsulKeys.releases(app)).map(ReleaseStore::sorted);
  }

  /** Every release of every app, oldest first. */
  public Future<List<Versioned<Release>>> listAll() {
    return kv.list(ConsulKeys.RELEASES).map(ReleaseStore::sorted);
  }

  public Future<Versioned<Release>> create(Release release) {
    return kv.cas(ConsulKeys.release(release.app(), release.id()), release.toJson(), 0)
        .map(index -> new Versioned<>(release, index));
  }

  /** Replaces {@code current} with {@code next} if nobody wrote it since; else {@link ConflictException}. */
  public Future<Versioned<Release>> save(Versioned<Release> current, Release next) {
    return kv.cas(ConsulKeys.release(next.app(), next.id()), next.toJson(), current.index())
        .map(index -> new Versioned<>(next, index));
  }

  private static List<Versioned<Release>> sorted(List<Versioned<io.vertx.core.json.JsonObject>> docs) {
    return docs.stream().map(d -> d.map(Release::fromJson))
        .sorted(Comparator.comparing(v -> v.value().id())).toList();
  }
}
