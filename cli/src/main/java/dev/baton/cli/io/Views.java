package dev.baton.cli.io;

import static dev.baton.cli.io.Values.has;
import static dev.baton.cli.io.Values.list;
import static dev.baton.cli.io.Values.map;
import static dev.baton.cli.io.Values.maps;
import static dev.baton.cli.io.Values.num;
import static dev.baton.cli.io.Values.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Human renderings of the registry's objects (docs/registry-api.md): tables and short summaries, never JSON dumps. */
public final class Views {

  private Views() {
  }

  /** {@code baton apps}: one row per app. */
  public static List<String> apps(List<Map<String, Object>> apps) {
    Table t = Table.of("app", "version", "passing", "status", "split", "release");
    for (Map<String, Object> a : apps) {
      Map<String, Object> r = map(a, "activeRelease");
      t.row(str(a, "app"), str(a, "version"), str(a, "passing") + "/" + str(a, "desired"), str(a, "status"),
          split(map(a, "route")), r.isEmpty() ? "" : str(r, "id") + " " + str(r, "phase"));
    }
    return t.isEmpty() ? List.of("no apps yet: baton app apply -f spec.yaml creates one") : t.lines();
  }

  /** "1.0.0 90% · 2.0.0 10%" from a route policy, or "" when there is none. */
  public static String split(Map<String, Object> route) {
    List<String> parts = new ArrayList<>();
    for (Map<String, Object> w : maps(route, "split")) {
      parts.add(str(w, "version") + " " + Values.num(num(w, "weight", 0)) + "%");
    }
    return String.join(" · ", parts);
  }

  /** {@code baton app get}: the app's state, route, spec, active release and instances. */
  public static List<String> app(Map<String, Object> v) {
    List<String> out = new ArrayList<>();
    out.add("app       " + str(v, "app") + "   version " + orNone(str(v, "version")) + "   " + str(v, "passing") + "/"
        + str(v, "desired") + " passing   " + str(v, "status") + (has(v, "reason") ? " — " + str(v, "reason") : ""));
    Map<String, Object> route = map(v, "route");
    out.add("route     " + (route.isEmpty() ? "none yet" : split(route) + "   (revision " + str(route, "revision") + ")")
        + sticky(route));
    Map<String, Object> spec = map(v, "spec");
    Map<String, Object> routing = map(spec, "routing");
    out.add("spec      " + str(spec, "instances") + " instance(s), health " + str(spec, "healthPath") + ", hosts "
        + (list(routing, "hosts").isEmpty() ? "any" : String.join(",", list(routing, "hosts").stream().map(Object::toString).toList()))
        + ", path " + orNone(str(routing, "pathPrefix")));
    Map<String, Object> r = map(v, "activeRelease");
    out.add("release   " + (r.isEmpty() ? "none active (baton history " + str(v, "app") + " lists past ones)" : releaseLine(r)));
    for (Map<String, Object> version : maps(v, "versions")) {
      String overrides = overrides(map(version, "overrides"));
      if (!overrides.isEmpty()) {
        out.add("config    " + str(version, "version") + " runs with " + overrides);
      }
    }
    out.add("");
    out.addAll(instances(maps(v, "instances")));
    return out;
  }

  public static List<String> instances(List<Map<String, Object>> instances) {
    Table t = Table.of("instance", "version", "agent", "address", "status", "release");
    for (Map<String, Object> i : instances) {
      t.row(str(i, "id"), str(i, "version"), str(i, "agent"), str(i, "address") + (has(i, "port") ? ":" + str(i, "port") : ""),
          str(i, "status"), str(i, "release"));
    }
    return t.isEmpty() ? List.of("no instances") : t.lines();
  }

  /** One line: "shop.2026…-ab12  canary 1.0.0 → 2.0.0  PROGRESSING  step 2/3: message". */
  public static String releaseLine(Map<String, Object> r) {
    return str(r, "id") + "  " + str(map(r, "strategy"), "type") + " " + orNone(str(r, "fromVersion")) + " → "
        + str(r, "toVersion") + "  " + str(r, "phase") + stepOf(r) + ": " + str(r, "message");
  }

  /**
   * A version's config overrides over the app spec, as the registry serves them (secrets already {@code ***}):
   * "env FEATURE_X=on, LOG_LEVEL=debug; command java -jar {artifact}", empty when it runs the spec alone.
   */
  static String overrides(Map<String, Object> o) {
    List<String> parts = new ArrayList<>();
    Map<String, Object> env = map(o, "env");
    if (!env.isEmpty()) {
      parts.add("env " + String.join(", ", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (has(o, "command")) {
      parts.add("command " + String.join(" ", list(o, "command").stream().map(Object::toString).toList()));
    }
    return String.join("; ", parts);
  }

  /** {@code baton release}, {@code promote} …: the release, its steps and the last transitions. */
  public static List<String> release(Map<String, Object> r) {
    List<String> out = new ArrayList<>();
    out.add("release   " + str(r, "id"));
    out.add("app       " + str(r, "app") + "   " + orNone(str(r, "fromVersion")) + " → " + str(r, "toVersion")
        + "   " + strategy(map(r, "strategy")));
    out.add("phase     " + str(r, "phase") + stepOf(r) + " — " + str(r, "message"));
    String overrides = overrides(map(r, "config"));
    if (!overrides.isEmpty()) {
      out.add("config    " + str(r, "toVersion") + " runs with " + overrides);
    }
    if (has(r, "group")) {
      out.add("group     " + str(map(r, "group"), "id") + " (baton group status " + str(map(r, "group"), "id") + ")");
    }
    List<Map<String, Object>> h = maps(r, "history");
    for (Map<String, Object> e : h.subList(Math.max(0, h.size() - 5), h.size())) {
      out.add("  " + time(str(e, "at")) + "  " + Table.pad(str(e, "phase"), 12) + str(e, "message"));
    }
    return out;
  }

  /** "canary 10% (30s) → 50% (manual) → 100%, sticky X-User-Id", "rolling surge +1/-0", "blue-green …". */
  public static String strategy(Map<String, Object> s) {
    String type = str(s, "type");
    return switch (type) {
      case "canary" -> "canary " + String.join(" → ", maps(s, "steps").stream().map(Views::step).toList())
          + sticky(s) + (has(s, "analysis") ? ", with analysis" : "");
      case "rolling" -> "rolling " + str(s, "mode") + " (max surge " + str(s, "maxSurge") + ", max unavailable "
          + str(s, "maxUnavailable") + ")";
      case "blue-green" -> "blue-green, preview " + match(map(s, "preview"))
          + (has(s, "autoPromoteSeconds") ? ", auto-promote " + str(s, "autoPromoteSeconds") + "s" : ", manual promote");
      default -> type;
    };
  }

  /** "10% (30s)", "50% (manual)", "100%". */
  public static String step(Map<String, Object> step) {
    String w = Values.num(num(step, "weight", 0)) + "%";
    if ("manual".equals(str(step, "pause"))) {
      return w + " (manual)";
    }
    return has(step, "pauseSeconds") ? w + " (" + str(step, "pauseSeconds") + "s)" : w;
  }

  /** {@code baton history}: one row per release, newest last. */
  public static List<String> history(List<Map<String, Object>> releases) {
    Table t = Table.of("release", "from", "to", "strategy", "phase", "started", "ended", "message");
    for (Map<String, Object> r : releases) {
      List<Map<String, Object>> h = maps(r, "history");
      String started = h.isEmpty() ? "" : time(str(h.get(0), "at"));
      boolean over = List.of("SUCCEEDED", "ABORTED", "FAILED").contains(str(r, "phase"));
      t.row(str(r, "id"), str(r, "fromVersion"), str(r, "toVersion"), str(map(r, "strategy"), "type"), str(r, "phase"),
          started, over && !h.isEmpty() ? time(str(h.get(h.size() - 1), "at")) : "", str(r, "message"));
    }
    return t.isEmpty() ? List.of("no releases yet: baton release APP VERSION starts one") : t.lines();
  }

  /** {@code baton artifact list}. */
  public static List<String> artifacts(Map<String, Object> list) {
    Table t = Table.of("version", "size", "sha256", "uploaded");
    for (Map<String, Object> a : maps(list, "artifacts")) {
      t.row(str(a, "version"), bytes((long) num(a, "size", 0)), str(a, "sha256").substring(0, Math.min(12, str(a, "sha256").length())),
          time(str(a, "uploadedAt")));
    }
    List<String> out = new ArrayList<>(t.isEmpty() ? List.of("no artifacts for " + str(list, "app")) : t.lines());
    out.add("");
    out.add(str(list, "app") + " uses " + bytes((long) num(list, "appBytes", 0)) + "; all apps "
        + bytes((long) num(list, "usedBytes", 0)) + " of the quota " + bytes((long) num(list, "quotaBytes", 0)));
    for (Map<String, Object> bad : maps(list, "invalid")) {
      out.add("invalid record " + str(bad, "key") + ": " + str(bad, "problem"));
    }
    return out;
  }

  /** One readable line per event: time, kind, subject, message. */
  public static String event(Map<String, Object> e) {
    String subject = str(e, "subject");
    return time(str(e, "at")) + "  " + Table.pad(str(e, "kind"), 26) + Table.pad(subject.isEmpty() ? str(e, "app") : subject, 34)
        + str(e, "message");
  }

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** "2026-11-30T14:51:42.123Z" → "14:51:42"; other text as it is. */
  public static String time(String iso) {
    int t = iso.indexOf('T');
    return t > 0 && iso.length() >= t + 9 ? iso.substring(t + 1, t + 9) : iso;
  }

  private static String stepOf(Map<String, Object> r) {
    List<Map<String, Object>> steps = maps(map(r, "strategy"), "steps");
    if (steps.isEmpty()) {
      return "";
    }
    int step = (int) num(r, "step", 0);
    return " (step " + Math.min(step + 1, steps.size()) + "/" + steps.size() + ")";
  }

  private static String sticky(Map<String, Object> policyOrStrategy) {
    Map<String, Object> s = map(policyOrStrategy, "sticky");
    return s.isEmpty() ? "" : ", sticky " + s.values().iterator().next();
  }

  private static String match(Map<String, Object> m) {
    return m.entrySet().stream().filter(e -> !e.getKey().equals("equals")).map(e -> e.getValue() + "=" + str(m, "equals"))
        .findFirst().orElse("");
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "none" : s;
  }
}
