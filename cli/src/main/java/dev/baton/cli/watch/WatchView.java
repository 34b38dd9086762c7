package dev.baton.cli.watch;

import static dev.baton.cli.io.Values.map;
import static dev.baton.cli.io.Values.maps;
import static dev.baton.cli.io.Values.num;
import static dev.baton.cli.io.Values.str;

import dev.baton.cli.io.Table;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a {@link WatchModel}: the whole screen for a terminal ({@link #screen}), or the facts that changed as
 * plain lines ({@link #facts}, printed by {@code Watcher} when stdout is not a terminal). Pure.
 */
public final class WatchView {

  static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  static final int BAR = 20;

  private WatchView() {
  }

  /** The terminal screen, top to bottom. */
  public static List<String> screen(WatchModel m, long now) {
    List<String> out = new ArrayList<>();
    Map<String, Object> v = m.view;
    Map<String, Object> r = m.release;
    out.add("baton status " + m.app + " --watch   " + CLOCK.format(Instant.ofEpochMilli(now)) + " UTC   app "
        + str(v, "status") + ", " + str(v, "passing") + "/" + str(v, "desired") + " passing"
        + (m.note.isEmpty() ? "" : "   (" + m.note + ")"));
    out.add("");
    if (r.isEmpty()) {
      out.add("no active release: waiting for one (baton release " + m.app + " VERSION starts one; Ctrl-C stops watching)");
    } else {
      out.add("RELEASE  " + str(r, "id") + "   " + str(map(r, "strategy"), "type") + " " + orNone(str(r, "fromVersion"))
          + " → " + str(r, "toVersion") + "   " + str(r, "phase"));
      out.add("         " + str(r, "message"));
      out.add("STEPS    " + steps(r));
    }
    out.add("");
    out.addAll(weights(m));
    out.add("");
    out.addAll(instances(v));
    if (!m.verdicts.isEmpty() || !map(map(r, "strategy"), "analysis").isEmpty()) {
      out.add("");
      out.add("ANALYSIS " + analysisSummary(r));
      for (WatchModel.Verdict x : m.verdicts.subList(Math.max(0, m.verdicts.size() - 5), m.verdicts.size())) {
        out.add("  " + CLOCK.format(Instant.ofEpochMilli(x.at())) + "  " + x.text());
      }
    }
    if (!m.events.isEmpty()) {
      out.add("");
      out.add("EVENTS");
      m.events.forEach(e -> out.add("  " + e));
    }
    return out;
  }

  /** "✓ 10% (5s)   ▶ 50% (manual)   · 100%   · finish": done, current and coming steps. */
  static String steps(Map<String, Object> r) {
    Map<String, Object> s = map(r, "strategy");
    List<Map<String, Object>> steps = maps(s, "steps");
    if (steps.isEmpty()) {
      return Views.strategy(s);
    }
    int current = (int) num(r, "step", 0);
    boolean done = "SUCCEEDED".equals(str(r, "phase"));
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      String mark = done || i < current ? "✓" : i == current ? "▶" : "·";
      parts.add(mark + " " + Views.step(steps.get(i)));
    }
    // after the last step the canary scales to every instance, takes 100% and stable stops (docs/registry-api.md)
    parts.add((done ? "✓" : current >= steps.size() ? "▶" : "·") + " finish");
    return String.join("   ", parts);
  }

  /** Per version: the route's weight (what the registry asks the gateways) and the traffic share they report. */
  static List<String> weights(WatchModel m) {
    Map<String, Double> desired = new TreeMap<>();
    for (Map<String, Object> w : maps(map(m.view, "route"), "split")) {
      desired.put(str(w, "version"), num(w, "weight", 0));
    }
    Map<String, Traffic.Figures> figures = m.traffic.figures();
    Map<String, Double> shares = m.traffic.shares();
    TreeSet<String> versions = new TreeSet<>(desired.keySet());
    versions.addAll(figures.keySet());
    Table t = Table.of("version", "route weight", "", "traffic share", "", "req/s", "errors", "p99");
    for (String ver : versions) {
      double d = desired.getOrDefault(ver, 0.0);
      Traffic.Figures f = figures.get(ver);
      t.row(ver, bar(d), pct(d), f == null ? "" : bar(shares.get(ver)), f == null ? "" : pct(shares.get(ver)),
          f == null ? "" : String.format(Locale.ROOT, "%.1f", f.rps()),
          f == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * f.errorRate()),
          f == null ? "" : String.format(Locale.ROOT, "%.0f ms", f.p99Ms()));
    }
    List<String> out = new ArrayList<>();
    out.add("TRAFFIC  (route weight: what the registry asks; share, req/s, errors, p99: what the gateways saw, last 10 s)"
        + (m.trafficNote.isEmpty() ? "" : " — " + m.trafficNote));
    t.lines().forEach(l -> out.add("  " + l));
    return out;
  }

  /** Instances per version and agent (host state), with how many pass their health check. */
  static List<String> instances(Map<String, Object> view) {
    Table t = Table.of("version", "agent", "host", "passing", "instances");
    Map<String, List<String[]>> rows = new TreeMap<>();
    for (Map<String, Object> agent : maps(view, "placement")) {
      Map<String, List<Map<String, Object>>> byVersion = new TreeMap<>();
      for (Map<String, Object> i : maps(agent, "instances")) {
        byVersion.computeIfAbsent(str(i, "version"), k -> new ArrayList<>()).add(i);
      }
      byVersion.forEach((ver, list) -> {
        long passing = list.stream().filter(i -> Boolean.TRUE.equals(i.get("passing"))).count();
        String states = String.join(" ", list.stream().map(i -> str(i, "status")).toList());
        rows.computeIfAbsent(ver, k -> new ArrayList<>()).add(new String[] {ver, str(agent, "agent"), str(agent, "host"),
            passing + "/" + list.size(), states});
      });
    }
    rows.values().forEach(l -> l.forEach(row -> t.row((Object[]) row)));
    List<String> out = new ArrayList<>();
    out.add("INSTANCES");
    (t.isEmpty() ? List.of("no instances") : t.lines()).forEach(l -> out.add("  " + l));
    return out;
  }

  /**
   * The facts a plain-lines watcher prints when they change, keyed by what they are about ("release", "route",
   * "instances", "traffic", "verdict"): one line each, without a clock (the watcher adds it).
   */
  public static Map<String, String> facts(WatchModel m) {
    Map<String, String> f = new LinkedHashMap<>();
    Map<String, Object> r = m.release;
    if (!r.isEmpty()) {
      f.put("release", "release " + str(r, "id") + " " + str(r, "phase") + ": " + str(r, "message"));
    }
    f.put("route", "route " + (Views.split(map(m.view, "route")).isEmpty() ? "none" : Views.split(map(m.view, "route"))));
    List<String> inst = new ArrayList<>();
    Map<String, long[]> counts = new TreeMap<>();
    for (Map<String, Object> agent : maps(m.view, "placement")) {
      for (Map<String, Object> i : maps(agent, "instances")) {
        long[] c = counts.computeIfAbsent(str(i, "version"), k -> new long[2]);
        c[1]++;
        c[0] += Boolean.TRUE.equals(i.get("passing")) ? 1 : 0;
      }
    }
    counts.forEach((ver, c) -> inst.add(ver + " " + c[0] + "/" + c[1] + " passing"));
    f.put("instances", "instances " + (inst.isEmpty() ? "none" : String.join(", ", inst)));
    List<String> tr = new ArrayList<>();
    m.traffic.figures().forEach((ver, x) -> tr.add(String.format(Locale.ROOT, "%s %.1f req/s (%.0f%%) %.2f%% errors p99 %.0f ms",
        ver, x.rps(), m.traffic.shares().get(ver), 100 * x.errorRate(), x.p99Ms())));
    if (!tr.isEmpty()) {
      f.put("traffic", "traffic " + String.join(" | ", tr));
    }
    if (!m.verdicts.isEmpty()) {
      f.put("verdict", "analysis " + m.verdicts.get(m.verdicts.size() - 1).text());
    }
    return f;
  }

  static String analysisSummary(Map<String, Object> r) {
    Map<String, Object> an = map(map(r, "progress"), "analysis");
    Map<String, Object> a = map(map(r, "strategy"), "analysis");
    return "every " + str(a, "intervalSeconds") + "s: " + (long) num(an, "passes", 0) + " passed, "
        + (long) num(an, "failures", 0) + " failed (limit " + str(a, "failureLimit") + "), "
        + (long) num(an, "inconclusive", 0) + " inconclusive";
  }

  /** A bar of {@link #BAR} cells for 0..100, in eighths. */
  static String bar(double pct) {
    double cells = Math.max(0, Math.min(100, pct)) * BAR / 100.0;
    int full = (int) cells;
    int eighths = (int) Math.round((cells - full) * 8);
    if (eighths == 8) {
      full++;
      eighths = 0;
    }
    String partial = eighths == 0 || full >= BAR ? "" : String.valueOf("▏▎▍▌▋▊▉".charAt(eighths - 1));
    String b = "█".repeat(full) + partial;
    return b + "░".repeat(Math.max(0, BAR - b.length()));
  }

  static String pct(double p) {
    return Values.num(Math.round(p * 10) / 10.0) + "%";
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "none" : s;
  }
}
