package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A release group (KV {@code baton/release-groups/<id>}, docs/registry-api.md "Release groups"): the releases of
 * several apps that move step by step together and abort together. Each member is an ordinary release that names
 * the group ({@link GroupLink}); the group keeps their ids, its phase derived from theirs, its own history, and
 * what it last saw of each member ({@code seen}), from which the registry writes that history.
 */
public record ReleaseGroup(String id, String createdAt, List<String> releases, List<String> apps, GroupPhase phase,
                           String message, List<Entry> history, List<Seen> seen) {

  /** One timestamped line of the group's history; {@code app} names the member it is about, null for the group. */
  public record Entry(String at, GroupPhase phase, String app, String message) {

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("at", at).put("phase", phase.name()).put("message", message);
      return app == null ? json : json.put("app", app);
    }

    static Entry fromJson(JsonObject json) {
      return new Entry(json.getString("at"), GroupPhase.valueOf(json.getString("phase")), json.getString("app"),
          json.getString("message"));
    }
  }

  /** What the group last saw of a member: its phase, step, the step it waits at, and why it aborts (null: it does not). */
  public record Seen(String release, ReleasePhase phase, int step, int heldAt, String abort) {

    public JsonObject toJson() {
      return new JsonObject().put("release", release).put("phase", phase.name()).put("step", step)
          .put("heldAt", heldAt).put("abort", abort);
    }

    static Seen fromJson(JsonObject json) {
      return new Seen(json.getString("release"), ReleasePhase.valueOf(json.getString("phase")),
          json.getInteger("step", 0), json.getInteger("heldAt", -1), json.getString("abort"));
    }
  }

  public ReleaseGroup {
    releases = List.copyOf(releases);
    apps = List.copyOf(apps);
    history = List.copyOf(history);
    seen = List.copyOf(seen);
  }

  /** A copy with {@code more} entries appended, in {@code newPhase} with {@code newMessage}, having seen {@code now}. */
  public ReleaseGroup next(GroupPhase newPhase, String newMessage, List<Entry> more, List<Seen> now) {
    List<Entry> h = new ArrayList<>(history);
    h.addAll(more);
    return new ReleaseGroup(id, createdAt, releases, apps, newPhase, newMessage, h, now);
  }

  public JsonObject toJson() {
    JsonArray h = new JsonArray();
    history.forEach(e -> h.add(e.toJson()));
    JsonArray s = new JsonArray();
    seen.forEach(e -> s.add(e.toJson()));
    return new JsonObject().put("id", id).put("createdAt", createdAt).put("releases", new JsonArray(releases))
        .put("apps", new JsonArray(apps)).put("phase", phase.name()).put("message", message).put("history", h)
        .put("seen", s);
  }

  /** Lenient: it is what the registry wrote itself. */
  public static ReleaseGroup fromJson(JsonObject json) {
    List<Entry> history = new ArrayList<>();
    json.getJsonArray("history", new JsonArray()).forEach(o -> history.add(Entry.fromJson((JsonObject) o)));
    List<Seen> seen = new ArrayList<>();
    json.getJsonArray("seen", new JsonArray()).forEach(o -> seen.add(Seen.fromJson((JsonObject) o)));
    return new ReleaseGroup(json.getString("id"), json.getString("createdAt"), strings(json.getJsonArray("releases")),
        strings(json.getJsonArray("apps")), GroupPhase.valueOf(json.getString("phase", "PROGRESSING")),
        json.getString("message"), history, seen);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }
}
