package dev.baton.registry.reconcile;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.registry.store.KvStore;
import io.vertx.core.Future;
import java.util.Optional;

/** App statuses in KV {@code baton/status/<app>}: written by the leader's reconciler, read by every registry. */
public final class AppStatusStore {

  private final KvStore kv;

  public AppStatusStore(KvStore kv) {
    this.kv = kv;
  }

  /** The stored status; empty when none was written or the value is not a status. */
  public Future<Optional<AppStatus>> get(String app) {
    return kv.get(ConsulKeys.status(app)).map(v -> v.map(d -> AppStatus.fromJson(d.value())))
        .recover(e -> e instanceof IllegalStateException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  public Future<Void> put(AppStatus status) {
    return kv.update(ConsulKeys.status(status.app()), current -> Future.succeededFuture(status.toJson())).mapEmpty();
  }
}
