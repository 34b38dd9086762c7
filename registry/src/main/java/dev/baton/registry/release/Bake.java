package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.Release;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * The bake after 100% of canary and blue-green (docs/registry-api.md, "Canary analysis"; docs/ARCHITECTURE.md, "Bake
 * and Prometheus analysis"). Before any traffic moves, {@link #withBaseline} records the previous version's figures
 * over the {@value #BASELINE_MS} ms before the release was created (requests, 5xx, p50 and p99 of the merged
 * histograms). Once the new version serves 100%, {@link #plan} keeps the previous version's instances running and, every
 * {@code intervalSeconds} after the warm-up, judges the new version's window against that baseline with the canary's
 * test ({@link CanaryAnalysis}) and the analysis's Prometheus queries; {@code failureLimit} failed intervals abort the
 * release (the rollback is one route flip); a bake that runs its time passes. Its state is the one progress key
 * {@value #KEY}, read and written here only. Pure.
 */
final class Bake {

  static final String KEY = "bake";
  static final long BASELINE_MS = 5 * 60_000L;

  private Bake() {
  }

  /** {@code r} with its baseline recorded (once, and only when the strategy bakes); noted in the history. */
  static Release withBaseline(PlanContext ctx, Release r, int bakeSeconds) {
    if (bakeSeconds <= 0 || r.fromVersion() == null || r.progress().containsKey(KEY)) {
      return r;
    }
    long end = createdAt(r, ctx.now());
    long from = Math.max(end - BASELINE_MS, ctx.observed().metrics().coverageStartMs());
    MetricsView.Sample s = from >= end ? new MetricsView.Sample(0, 0, 0)
        : ctx.observed().metrics().sum(ctx.app(), r.fromVersion(), from, end);
    JsonObject baseline = new JsonObject().put("version", r.fromVersion()).put("fromMs", from).put("toMs", end)
        .put("requests", s.requests()).put("errors", s.errors()).put("p50Ms", s.p50Ms()).put("p99Ms", s.p99Ms());
    String window = "in the " + seconds(end - Math.min(from, end)) + " before the release";
    String note = s.requests() == 0
        ? "bake baseline: no traffic of " + r.fromVersion() + " " + window + " (as far as this registry saw): the bake"
        + " checks the analysis's maxErrorRate and Prometheus queries only"
        : String.format(Locale.ROOT, "bake baseline: %s served %d requests, %d errors (%.2f%%), p99 %.1f ms %s",
        r.fromVersion(), s.requests(), s.errors(), s.errorRate() * 100, s.p99Ms(), window);
    return ctx.note(PlanContext.with(r, KEY, new JsonObject().put("baseline", baseline)), note);
  }

  /**
   * Null when the strategy does not bake or the bake passed (the caller goes on to stop the previous version); else
   * this look's decision: start the bake, judge an interval, pass it, or wait.
   */
  static Decision plan(PlanContext ctx, Release r, Analysis a, int bakeSeconds) {
    if (bakeSeconds <= 0) {
      return null;
    }
    JsonObject b = r.progress().getJsonObject(KEY, new JsonObject());
    if (b.getBoolean("passed", false)) {
      return null;
    }
    long now = ctx.now();
    if (r.progress().getInteger(Progress.PROMOTE, -1) == r.step() && b.containsKey("startedAt")) {
      return Decision.idle(ctx.note(PlanContext.with(r, KEY, b.copy().put("passed", true)), "bake skipped by the"
          + " operator's promote after " + tally(b, a)));
    }
    if (!b.containsKey("startedAt")) {
      JsonObject next = b.copy().put("startedAt", now).put("warmUntil", now + a.warmupSeconds() * 1000L);
      return Decision.idle(Steps.progressing(ctx, PlanContext.with(r, KEY, next), "baking " + r.toVersion() + " for "
          + seconds(bakeSeconds * 1000L) + " at 100%: judged against the baseline every " + a.intervalSeconds()
          + "s after a " + a.warmupSeconds() + "s warm-up; " + r.fromVersion() + " stays warm"));
    }
    long started = b.getLong("startedAt");
    long end = started + bakeSeconds * 1000L;
    long from = Math.max(Math.max(b.getLong("lastAt", started), b.getLong("warmUntil", started)),
        ctx.observed().metrics().coverageStartMs());
    if (now - from >= a.intervalSeconds() * 1000L && from < end) {
      return judge(ctx, r, a, b, from);
    }
    if (now >= end) {
      JsonObject next = b.copy().put("passed", true);
      return Decision.idle(ctx.note(PlanContext.with(r, KEY, next), "bake passed: " + tally(b, a)
          + " in " + seconds(bakeSeconds * 1000L)));
    }
    String msg = "baking: " + seconds(end - now) + " left, " + tally(b, a)
        + (b.containsKey("last") ? "; last " + b.getString("last") : "");
    boolean again = r.message() != null && r.message().startsWith("baking: ");
    return Decision.idle(again ? r.withMessage(msg) : Steps.progressing(ctx, r, msg));
  }

  private static Decision judge(PlanContext ctx, Release r, Analysis a, JsonObject b, long from) {
    MetricsView m = ctx.observed().metrics();
    JsonObject base = b.getJsonObject("baseline", new JsonObject());
    MetricsView.Sample baseline = new MetricsView.Sample(base.getLong("requests", 0L), base.getLong("errors", 0L),
        base.getDouble("p50Ms", 0.0), base.getDouble("p99Ms", 0.0));
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(a, m.sum(ctx.app(), r.toVersion(), from, ctx.now()), baseline);
    if (a.prometheus() != null) {
      v = PrometheusAnalysis.combine(v, PrometheusAnalysis.judge(a.prometheus(), ctx.observed().prometheus(), from));
    }
    String reason = "bake: " + v.reason().replace("stable", "baseline");
    JsonObject next = b.copy().put("lastAt", ctx.now()).put("last", reason);
    switch (v.outcome()) {
      case PASS -> next.put("passes", b.getInteger("passes", 0) + 1);
      case FAIL -> next.put("failures", b.getInteger("failures", 0) + 1);
      default -> next.put("inconclusive", b.getInteger("inconclusive", 0) + 1);
    }
    Release out = AnalysisHistory.append(PlanContext.with(r, KEY, next), v.figures().copy().put("reason", reason)
        .put("bake", true).put("at", ctx.at()).put("step", r.step()).put("fromMs", from).put("toMs", ctx.now()));
    int failures = next.getInteger("failures", 0);
    if (failures >= a.failureLimit()) {
      out = PlanContext.with(out, Progress.ABORT, reason + " (" + failures + " failed interval(s), limit "
          + a.failureLimit() + ")");
      return Decision.idle(ctx.note(out, "aborting: " + out.progress().getString(Progress.ABORT)));
    }
    return Decision.idle(v.outcome() == CanaryAnalysis.Outcome.FAIL
        ? ctx.note(out, reason + " (" + failures + "/" + a.failureLimit() + ")") : out);
  }

  /** True while {@code r} is in its bake (started, not passed). */
  static boolean baking(Release r) {
    JsonObject b = r.progress().getJsonObject(KEY);
    return b != null && b.containsKey("startedAt") && !b.getBoolean("passed", false);
  }

  /** {@code r} after an operator's pause of {@code heldMs}: the bake's timers move on, as a step's does. */
  static Release resumed(Release r, long heldMs) {
    JsonObject b = r.progress().getJsonObject(KEY);
    if (!baking(r) || heldMs <= 0) {
      return r;
    }
    JsonObject next = b.copy();
    for (String timer : new String[] {"startedAt", "lastAt", "warmUntil"}) {
      if (b.containsKey(timer)) {
        next.put(timer, b.getLong(timer) + heldMs);
      }
    }
    return PlanContext.with(r, KEY, next);
  }

  /** When the release was created (its first history entry), or {@code fallback} when that is not a time. */
  static long createdAt(Release r, long fallback) {
    try {
      return r.history().isEmpty() ? fallback : Instant.parse(r.history().get(0).at()).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  private static String tally(JsonObject b, Analysis a) {
    String s = b.getInteger("passes", 0) + " interval(s) passed";
    if (b.getInteger("inconclusive", 0) > 0) {
      s += ", " + b.getInteger("inconclusive") + " inconclusive";
    }
    if (b.getInteger("failures", 0) > 0) {
      s += ", " + b.getInteger("failures") + " failed (limit " + a.failureLimit() + ")";
    }
    return s;
  }

  /** {@code 4m12s}, {@code 30s}, {@code 1h0m5s}. */
  static String seconds(long ms) {
    long s = Math.max(0, (ms + 999) / 1000);
    return s >= 3600 ? s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s"
        : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }
}
