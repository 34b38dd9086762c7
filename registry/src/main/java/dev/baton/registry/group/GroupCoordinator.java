package dev.baton.registry.group;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.registry.release.group.GroupLookup;
import dev.baton.registry.release.group.GroupView;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.GroupStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of release groups (docs/ARCHITECTURE.md, "Release groups"). It answers the controller's looks
 * with the other members as stored in KV — one read of every member per group at most every {@code freshMs},
 * however many members look, a member's own save replacing its copy at once — and after every member's save it
 * writes the group's record ({@link GroupHistory}) with a check-and-set and publishes {@code group.*} events. It keeps
 * nothing KV does not have: a new leader builds the same answers from KV. Used on the registry's one context.
 */
public final class GroupCoordinator implements GroupLookup {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

  private final GroupStore groups;
  private final ReleaseStore releases;
  private final Consumer<BatonEvent> publisher;
  private final String source;
  private final LongSupplier clock;
  private final long freshMs;
  private final Map<String, Members> members = new HashMap<>();
  private final Set<String> refreshing = new HashSet<>();
  private final Set<String> again = new HashSet<>();

  /** The members of one group as last read, and when. */
  private record Members(long at, Future<List<Release>> list) {
  }

  public GroupCoordinator(GroupStore groups, ReleaseStore releases, Consumer<BatonEvent> publisher, String source,
                          LongSupplier clock, long freshMs) {
    this.groups = groups;
    this.releases = releases;
    this.publisher = publisher;
    this.source = source;
    this.clock = clock;
    this.freshMs = freshMs;
  }

  @Override
  public Future<GroupView> view(Release r) {
    if (r.group() == null) {
      return Future.succeededFuture(GroupView.NONE);
    }
    String id = r.group().id();
    Members m = members.get(id);
    if (m == null || clock.getAsLong() - m.at() > freshMs || m.list().failed()) {
      m = new Members(clock.getAsLong(), load(id).map(Loaded::members));
      members.put(id, m);
    }
    return m.list().map(all -> GroupView.of(id, all, r.id())).recover(e -> {
      if (e instanceof MissingGroupException) {
        LOG.warn("release {} names group {}, which KV does not hold: it runs alone", r.id(), id);
        return Future.succeededFuture(GroupView.NONE);
      }
      return Future.failedFuture(e);
    });
  }

  @Override
  public void saved(Release r) {
    String id = r.group().id();
    Members m = members.get(id);
    if (m != null && m.list().succeeded()) {
      List<Release> next = new ArrayList<>(m.list().result().stream().map(x -> x.id().equals(r.id()) ? r : x).toList());
      members.put(id, new Members(m.at(), Future.succeededFuture(next)));
    }
    refresh(id);
  }

  /** Brings the group's record up to date with its members; runs once at a time per group, again if asked meanwhile. */
  public void refresh(String id) {
    if (!refreshing.add(id)) {
      again.add(id);
      return;
    }
    update(id).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("group {}: cannot update its record: {}", id, ar.cause().toString());
      }
      refreshing.remove(id);
      if (again.remove(id)) {
        refresh(id);
      }
    });
  }

  /** On gaining leadership: every group still running gets its record brought up to date. */
  public Future<Void> resume() {
    return groups.list().map(all -> {
      all.stream().map(Versioned::value).filter(g -> !g.phase().isTerminal()).forEach(g -> refresh(g.id()));
      return null;
    });
  }

  /** KV holds no group of that id. */
  static final class MissingGroupException extends RuntimeException {
    MissingGroupException(String id) {
      super("no release group " + id);
    }
  }

  /** The group and its members, read from KV. */
  record Loaded(Versioned<ReleaseGroup> group, List<Release> members) {
  }

  Future<Loaded> load(String id) {
    return groups.get(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new MissingGroupException(id));
      }
      List<Future<Optional<Versioned<Release>>>> reads = found.get().value().releases().stream().map(releases::get)
          .toList();
      return Future.all(reads).map(all -> new Loaded(found.get(), reads.stream().map(Future::result)
          .flatMap(Optional::stream).map(Versioned::value).toList()));
    });
  }

  private Future<Void> update(String id) {
    return load(id).compose(l -> {
      members.put(id, new Members(clock.getAsLong(), Future.succeededFuture(l.members())));
      ReleaseGroup before = l.group().value();
      if (before.phase().isTerminal()) {
        return Future.<Void>succeededFuture();
      }
      ReleaseGroup after = GroupHistory.next(before, l.members(), Instant.ofEpochMilli(clock.getAsLong()).toString());
      if (after.phase().isTerminal()) {
        members.remove(id); // no member looks any more
      }
      if (after == before) {
        return Future.<Void>succeededFuture();
      }
      return groups.save(l.group(), after).<Void>map(saved -> {
        publishAdded(before, after);
        return null;
      });
    }).recover(e -> e instanceof ConflictException ? update(id) : Future.failedFuture(e));
  }

  private void publishAdded(ReleaseGroup before, ReleaseGroup after) {
    for (ReleaseGroup.Entry e : after.history().subList(before.history().size(), after.history().size())) {
      publish(after, e.app() == null ? "group." + e.phase().name().toLowerCase(Locale.ROOT) : "group.member", e);
    }
  }

  /** A {@code group.*} event of {@code g} on the registry's event stream. */
  public void publish(ReleaseGroup g, String kind, ReleaseGroup.Entry e) {
    JsonObject data = new JsonObject().put("group", g.id()).put("phase", g.phase().name())
        .put("releases", new JsonArray(g.releases())).put("apps", new JsonArray(g.apps()));
    publisher.accept(new BatonEvent(e.at(), kind, source, e.app(), g.id(), e.message(), data));
  }
}
