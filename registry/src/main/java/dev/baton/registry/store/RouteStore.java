package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Route policies in KV {@code baton/routes/<app>}. Every write is a check-and-set on ModifyIndex and
 * bumps {@code revision} to the previous one + 1, so gateways see a strictly growing revision. A manual override
 * ({@code PUT /v1/apps/{app}/route}) also records its revision in {@code baton/route-overrides/<app>}, so a release
 * whose route write replaces it can say so in its history (docs/registry-api.md, "Releases").
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
    return write(policy, Optional.empty()).map(Written::policy);
  }

  /**
   * What a write put in KV, and the manual override it replaced, described for a history entry ({@code "the manual
   * route override of <at> (revision N: 1.0.0 80%, 2.0.0 20%, 1 rule)"}); empty when the route it replaced was not one.
   */
  public record Written(RoutePolicy policy, Optional<String> replacedOverride) {
  }

  /** {@link #write}, saying which manual override the write replaced, judged on the very route the write replaced. */
  public Future<Written> writeNotingOverride(RoutePolicy policy) {
    return kv.get(ConsulKeys.routeOverride(policy.app()))
        .recover(e -> Future.succeededFuture(Optional.empty())) // only a history note depends on it
        .compose(marker -> write(policy, marker.map(Versioned::value)));
  }

  private Future<Written> write(RoutePolicy policy, Optional<JsonObject> overrideMarker) {
    Written[] written = new Written[1];
    return kv.update(ConsulKeys.route(policy.app()), current -> {
      long previous = current.map(c -> c.getLong("revision", 0L)).orElse(0L);
      Optional<String> replaced = overrideMarker.filter(m -> current.isPresent() && m.getLong("revision", -1L) == previous)
          .map(m -> "the manual route override of " + m.getString("at") + " (revision " + previous + ": "
              + describe(RoutePolicy.fromJson(current.get())) + ")");
      written[0] = new Written(policy.withRevision(previous + 1), replaced);
      return Future.succeededFuture(written[0].policy().toJson());
    }).map(v -> written[0]);
  }

  /** Writes a manual override like {@link #write}, then records its revision and time. */
  public Future<RoutePolicy> writeOverride(RoutePolicy policy, String at) {
    return write(policy).compose(written -> kv.update(ConsulKeys.routeOverride(policy.app()),
            current -> Future.succeededFuture(new JsonObject().put("revision", written.revision()).put("at", at)))
        .map(v -> written));
  }

  private static String describe(RoutePolicy r) {
    String split = r.split().stream().filter(w -> w.basisPoints() > 0)
        .map(w -> w.version() + " " + fmt(w.basisPoints() / 100.0) + "%").collect(Collectors.joining(", "));
    return split + (r.rules().isEmpty() ? "" : ", " + r.rules().size() + " rule(s)");
  }

  private static String fmt(double percent) {
    return percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
  }
}
