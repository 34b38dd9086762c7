package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.AppSpec;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** App specs in KV {@code baton/apps/<app>}. */
public final class AppStore {

  private final KvStore kv;

  public AppStore(KvStore kv) {
    this.kv = kv;
  }

  public Future<Optional<AppSpec>> get(String app) {
    return kv.get(ConsulKeys.app(app)).map(v -> v.map(d -> AppSpec.fromJson(app, d.value())));
  }

  public Future<List<AppSpec>> list() {
    return kv.list(ConsulKeys.APPS).map(all -> all.stream().map(v -> AppSpec.fromJson(null, v.value())).toList());
  }

  /**
   * Forgets the app: its spec, route, status and release history (docs/registry-api.md, "Deleting an app"). The
   * spec goes last, so a delete cut short leaves an app that can be deleted again. Artifacts are not touched.
   */
  public Future<Void> delete(String app) {
    return kv.delete(ConsulKeys.route(app))
        .compose(v -> kv.delete(ConsulKeys.routeOverride(app)))
        .compose(v -> kv.delete(ConsulKeys.status(app)))
        .compose(v -> kv.deletePrefix(ConsulKeys.releases(app)))
        .compose(v -> kv.delete(ConsulKeys.app(app)));
  }

  /** Creates or replaces the spec; true when it was created. */
  public Future<Boolean> put(AppSpec spec) {
    boolean[] created = {false};
    return kv.update(ConsulKeys.app(spec.name()), current -> {
      created[0] = current.isEmpty();
      return Future.succeededFuture(spec.toStoredJson());
    }).map(v -> created[0]);
  }
}
