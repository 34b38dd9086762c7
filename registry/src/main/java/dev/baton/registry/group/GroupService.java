package dev.baton.registry.group;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.GroupLink;
import dev.baton.common.model.GroupPhase;
import dev.baton.common.model.GroupRequest;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.registry.api.ReleaseService;
import dev.baton.registry.release.ReleaseController;
import dev.baton.registry.release.ReleaseOperations;
import dev.baton.registry.release.group.GroupGuard;
import dev.baton.registry.release.group.GroupView;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.GroupStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Creating release groups and operating on them (docs/registry-api.md, "Release groups"). Creation checks every
 * member as a single release is checked, holding every app of the group, then writes the group and all its members
 * in one Consul transaction: nothing is created on any error. An operation acts on every running member and answers
 * 409 with each member's reason when it applies to none.
 */
public final class GroupService {

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
      .withZone(ZoneOffset.UTC);

  private final ReleaseService service;
  private final ReleaseStore releases;
  private final GroupStore groups;
  private final GroupCoordinator coordinator;
  private final ReleaseController controller;

  public GroupService(ReleaseService service, ReleaseStore releases, GroupStore groups, GroupCoordinator coordinator,
                      ReleaseController controller) {
    this.service = service;
    this.releases = releases;
    this.groups = groups;
    this.coordinator = coordinator;
    this.controller = controller;
  }

  /** The group created, as the API shows it. */
  public Future<JsonObject> create(GroupRequest request) {
    Map<String, Integer> at = new HashMap<>();
    for (int i = 0; i < request.releases().size(); i++) {
      Integer before = at.putIfAbsent(request.releases().get(i).app(), i);
      if (before != null) {
        String app = request.releases().get(i).app();
        return Future.failedFuture(ApiException.conflict("duplicate_app", "app " + app + " is named twice (releases["
            + before + "] and releases[" + i + "]); a group releases each app once"));
      }
    }
    List<String> apps = request.releases().stream().map(GroupRequest.Member::app).sorted().toList();
    return holding(apps, 0, () -> prepare(request.releases(), 0, new ArrayList<>()).compose(this::write));
  }

  /** Runs {@code work} holding every app of {@code apps} (sorted: two groups never wait for each other in a cycle). */
  private <T> Future<T> holding(List<String> apps, int i, Supplier<Future<T>> work) {
    return i == apps.size() ? work.get() : service.exclusively(apps.get(i), () -> holding(apps, i + 1, work));
  }

  private Future<List<Release>> prepare(List<GroupRequest.Member> members, int i, List<Release> out) {
    if (i == members.size()) {
      return Future.succeededFuture(out);
    }
    GroupRequest.Member m = members.get(i);
    return service.prepare(m.app(), m.request()).recover(e -> Future.failedFuture(e instanceof ApiException a
        ? new ApiException(a.status(), a.code(), "releases[" + i + "] (" + m.app() + "): " + a.getMessage()) : e))
        .compose(r -> {
          out.add(r);
          return prepare(members, i + 1, out);
        });
  }

  private Future<JsonObject> write(List<Release> prepared) {
    Instant now = Instant.now();
    String id = "g-" + ID_TIME.format(now) + "-"
        + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xffff)).substring(1);
    String what = String.join(", ", prepared.stream().map(r -> r.app() + " " + (r.fromVersion() == null ? "(none)"
        : r.fromVersion()) + " -> " + r.toVersion() + " (" + r.strategy().type() + ")").toList());
    List<Release> members = prepared.stream().map(r -> r.withGroup(GroupLink.of(id))
        .transition(r.phase(), "member of release group " + id, now.toString())).toList();
    ReleaseGroup.Entry created = new ReleaseGroup.Entry(now.toString(), GroupPhase.PROGRESSING, null,
        "created: " + what);
    ReleaseGroup group = new ReleaseGroup(id, now.toString(), members.stream().map(Release::id).toList(),
        members.stream().map(Release::app).toList(), GroupPhase.PROGRESSING, "created: " + what, List.of(created),
        members.stream().map(GroupHistory::seen).toList());
    return groups.create(group, members).map(v -> {
      coordinator.publish(group, "group.created", created);
      members.forEach(r -> controller.poke(r.id()));
      return view(group, members);
    });
  }

  public Future<JsonObject> get(String id) {
    return coordinator.load(id).recover(e -> Future.failedFuture(e instanceof GroupCoordinator.MissingGroupException
        ? ApiException.notFound("no release group " + id + "; GET /v1/release-groups lists the newest") : e))
        .map(l -> view(l.group().value(), l.members()));
  }

  /** The newest {@code limit} groups, newest first, without their members' details. */
  public Future<JsonArray> list(int limit) {
    return groups.list().map(all -> {
      JsonArray out = new JsonArray();
      all.stream().limit(limit).forEach(g -> out.add(api(g.value())));
      return out;
    });
  }

  /** {@code op} on every running member; 409 with every member's reason when it applies to none. */
  public Future<JsonObject> operate(String id, ReleaseOperations.Op op) {
    String name = op.name().toLowerCase(Locale.ROOT);
    return groups.get(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no release group " + id));
      }
      ReleaseGroup g = found.get().value();
      if (g.phase().isTerminal()) {
        return Future.failedFuture(new ReleaseOperations.NotAllowedException("release group " + id + " is "
            + g.phase() + "; " + name + " applies only to a group still running"));
      }
      return each(g, op, 0, new ArrayList<>(), new int[1]);
    }).compose(v -> {
      coordinator.refresh(id);
      return get(id);
    });
  }

  private Future<Void> each(ReleaseGroup g, ReleaseOperations.Op op, int i, List<String> refused, int[] done) {
    if (i == g.releases().size()) {
      return done[0] > 0 ? Future.succeededFuture() : Future.failedFuture(new ReleaseOperations.NotAllowedException(
          "release group " + g.id() + ": " + op.name().toLowerCase(Locale.ROOT) + " applies to none of its members: "
              + String.join("; ", refused)));
    }
    String rid = g.releases().get(i);
    Future<Release> one = op == ReleaseOperations.Op.ABORT
        ? abort(rid, "group " + g.id() + ": the group was aborted by an operator")
        : service.operate(rid, op);
    return one.map(r -> {
      done[0]++;
      return (Void) null;
    }).recover(e -> {
      if (e instanceof ReleaseOperations.NotAllowedException n) {
        refused.add(g.apps().get(i) + ": " + n.getMessage());
        return Future.succeededFuture();
      }
      return Future.failedFuture(e);
    }).compose(v -> each(g, op, i + 1, refused, done));
  }

  private Future<Release> abort(String rid, String why) {
    return releases.get(rid).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new ReleaseOperations.NotAllowedException("release " + rid + " is gone"));
      }
      Release r = found.get().value();
      if (r.phase().isTerminal()) {
        return Future.failedFuture(new ReleaseOperations.NotAllowedException("release " + r.id() + " is "
            + r.phase()));
      }
      java.util.Optional<String> aborting = dev.baton.registry.release.ReleaseState.of(r).abort();
      if (aborting.isPresent()) {
        return Future.failedFuture(new ReleaseOperations.NotAllowedException("release " + r.id()
            + " is already being aborted (" + aborting.get() + ")"));
      }
      return releases.save(found.get(), GroupGuard.aborting(r, why, Instant.now().toString())).map(Versioned::value);
    }).recover(e -> e instanceof ConflictException ? abort(rid, why) : Future.failedFuture(e))
        .onSuccess(r -> controller.poke(r.id()));
  }

  /** The group as the API shows it, with each member's state read now. */
  static JsonObject view(ReleaseGroup g, List<Release> members) {
    JsonArray out = new JsonArray();
    for (Release r : members) {
      GroupView.Member m = GroupView.Member.of(r);
      out.add(new JsonObject().put("app", r.app()).put("release", r.id()).put("fromVersion", r.fromVersion())
          .put("toVersion", r.toVersion()).put("strategy", m.kind()).put("phase", r.phase().name())
          .put("step", r.step()).put("steps", m.steps()).put("waiting", m.heldAt() == m.step() && !r.phase().isTerminal())
          .put("message", r.message()));
    }
    return api(g).put("members", out);
  }

  private static JsonObject api(ReleaseGroup g) {
    JsonObject json = g.toJson();
    json.remove("seen");
    return json;
  }
}
