package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Route policies in KV {@code baton/routes/<app>}. Every write is a check-and-set on ModifyIndex and
 * bumps {@code revision} to the previous one + 1, so gateways see a strictly growing revision.
 */
public final class RouteStore {

  private final KvStore kv;

  public RouteStore(KvStore kv) {
    this.kv = kv;
  }

  public Future<Optional<RoutePolicy>> get(String app) {
    return kv.get(ConsulKeys.route(app)).map(v -> v.map(d -> RoutePolicy.fromJson(d.value())));
  }

  /** Writes {@code policy} with revision = previous + 1 (its own revision is ignored); returns what was written. */
  public Future<RoutePolicy> write(RoutePolicy policy) {
    RoutePolicy[] written = new RoutePolicy[1];
    return kv.update(ConsulKeys.route(policy.app()), current -> {
      long previous = current.map(c -> c.getLong("revision", 0L)).orElse(0L);
      written[0] = policy.withRevision(previous + 1);
      return Future.succeededFuture(written[0].toJson());
    }).map(v -> written[0]);
  }
}
