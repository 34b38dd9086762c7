package dev.baton.cli.watch;

import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code baton status --watch} shows, updated from the registry's answers and streams (one thread owns it):
 * the app view, the followed release, traffic per version, the analysis verdicts seen, the latest events.
 */
public final class WatchModel {

  /** An analysis interval's verdict as the release carried it ({@code progress.analysis.last}). */
  public record Verdict(long at, String text) {
  }

  final String app;
  Map<String, Object> view = Map.of();
  Map<String, Object> release = Map.of();
  final Traffic traffic = new Traffic();
  String trafficNote = "waiting for the gateways' traffic stream";
  final List<Verdict> verdicts = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  String note = "";

  public WatchModel(String app) {
    this.app = app;
  }

  public void view(Map<String, Object> appView) {
    this.view = appView;
  }

  /**
   * A newer state of the followed release; its analysis windows not seen yet ({@code progress.analysisHistory},
   * docs/registry-api.md "Canary analysis") are kept in order. A release stored before that history existed
   * carries only its last verdict ({@code progress.analysis.last}).
   */
  public void release(Map<String, Object> r) {
    this.release = r;
    Map<String, Object> progress = Values.map(r, "progress");
    List<Map<String, Object>> windows = Values.maps(progress, "analysisHistory");
    if (!windows.isEmpty()) {
      for (Map<String, Object> w : windows) {
        verdict((long) Values.num(w, "toMs", 0), Values.str(w, "reason"));
      }
      return;
    }
    Map<String, Object> an = Values.map(progress, "analysis");
    verdict((long) Values.num(an, "lastAt", 0), Values.str(an, "last"));
  }

  private void verdict(long at, String text) {
    if (at != 0 && !text.isEmpty() && (verdicts.isEmpty() || verdicts.get(verdicts.size() - 1).at() < at)) {
      verdicts.add(new Verdict(at, text));
    }
  }

  public void traffic(Map<String, Object> tick) {
    traffic.tick(tick);
    trafficNote = "";
  }

  public void seedTraffic(Object answer) {
    traffic.seed(answer);
    trafficNote = "";
  }

  public void trafficUnavailable(String why) {
    trafficNote = why;
  }

  public void event(Map<String, Object> e) {
    events.add(Views.event(e));
    if (events.size() > 6) {
      events.remove(0);
    }
  }

  public void note(String text) {
    this.note = text;
  }

  public Map<String, Object> release() {
    return release;
  }

  public String phase() {
    return Values.str(release, "phase");
  }

  /** True once the followed release is SUCCEEDED, ABORTED or FAILED. */
  public boolean over() {
    return List.of("SUCCEEDED", "ABORTED", "FAILED").contains(phase());
  }

  /** 0 when the release succeeded, 1 when it was aborted or failed. */
  public int exitCode() {
    return "SUCCEEDED".equals(phase()) ? 0 : 1;
  }

  /** Epoch ms when the next analysis verdict is due, or 0 when the release runs no analysis. */
  public long analysisDueAt() {
    Map<String, Object> a = Values.map(Values.map(release, "strategy"), "analysis");
    if (a.isEmpty() || over()) {
      return 0;
    }
    Map<String, Object> an = Values.map(Values.map(release, "progress"), "analysis");
    long from = (long) Values.num(an, "lastAt", Values.num(Values.map(release, "progress"), "stepStartedAt", 0));
    return from == 0 ? 0 : from + (long) Values.num(a, "intervalSeconds", 5) * 1000L;
  }
}
