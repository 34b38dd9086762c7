package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseGroup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Release groups in KV {@code baton/release-groups/<id>}, next to their members' releases in {@code
 * baton/releases/<app>/<id>} (docs/registry-api.md, "Release groups"). A group id is {@code g-<timestamp>-<suffix>}, so
 * ids sort by creation.
 */
public final class GroupStore {

  private final KvStore kv;

  public GroupStore(KvStore kv) {
    this.kv = kv;
  }

  public Future<Optional<Versioned<ReleaseGroup>>> get(String id) {
    if (id == null || id.isEmpty() || id.contains("/")) {
      return Future.succeededFuture(Optional.empty());
    }
    return kv.get(ConsulKeys.group(id)).map(v -> v.map(d -> d.map(ReleaseGroup::fromJson)));
  }

  /** Every group, newest first. */
  public Future<List<Versioned<ReleaseGroup>>> list() {
    return kv.list(ConsulKeys.GROUPS).map(docs -> docs.stream().map(d -> d.map(ReleaseGroup::fromJson))
        .sorted(Comparator.comparing((Versioned<ReleaseGroup> v) -> v.value().id()).reversed()).toList());
  }

  /** The group and every member release, in one transaction: all are created or none is. */
  public Future<Void> create(ReleaseGroup group, List<Release> members) {
    Map<String, JsonObject> docs = new LinkedHashMap<>();
    members.forEach(r -> docs.put(ConsulKeys.release(r.app(), r.id()), r.toJson()));
    docs.put(ConsulKeys.group(group.id()), group.toJson());
    return kv.createAll(docs);
  }

  /** Replaces {@code current} with {@code next} if nobody wrote it since; else {@link ConflictException}. */
  public Future<Versioned<ReleaseGroup>> save(Versioned<ReleaseGroup> current, ReleaseGroup next) {
    return kv.cas(ConsulKeys.group(next.id()), next.toJson(), current.index()).map(i -> new Versioned<>(next, i));
  }
}
