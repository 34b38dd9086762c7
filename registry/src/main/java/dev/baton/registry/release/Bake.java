package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.Release;
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
 * {@value #KEY} ({@link BakeState}), written here only. Pure.
 */
final class Bake {

  static final String KEY = "bake";
  static final long BASELINE_MS = 5 * 60_000L;

  private Bake() {
  }

  /** {@code r} with its baseline recorded (once, and only when the strategy bakes); noted in the history. */
  static Release withBaseline(PlanContext ctx, Release r, int bakeSeconds) {
    if (bakeSeconds <= 0 || r.fromVersion() == null || ReleaseState.of(r).bake() != null) {
      return r;
    }
    long end = createdAt(r, ctx.now());
    long from = Math.max(end - BASELINE_MS, ctx.observed().metrics().coverageStartMs());
    MetricsView.Sample s = from >= end ? new MetricsView.Sample(0, 0, 0)
        : ctx.observed().metrics().sum(ctx.app(), r.fromVersion(), from, end);
    BakeState.Baseline baseline = new BakeState.Baseline(r.fromVersion(), from, end, s.requests(), s.errors(),
        s.p50Ms(), s.p99Ms());
    String window = "in the " + seconds(end - Math.min(from, end)) + " before the release";
    String note = s.requests() == 0
        ? "bake baseline: no traffic of " + r.fromVersion() + " " + window + " (as far as this registry saw): the bake"
        + " checks the analysis's maxErrorRate and Prometheus queries only"
        : String.format(Locale.ROOT, "bake baseline: %s served %d requests, %d errors (%.2f%%), p99 %.1f ms %s",
        r.fromVersion(), s.requests(), s.errors(), s.errorRate() * 100, s.p99Ms(), window);
    return ctx.note(ReleaseState.withBake(r, BakeState.of(baseline)), note);
  }

  /**
   * Null when the strategy does not bake or the bake passed (the caller goes on to stop the previous version); else
   * this look's decision: start the bake, judge an interval, pass it, or wait.
   */
  static Decision plan(PlanContext ctx, Release r, Analysis a, int bakeSeconds) {
    if (bakeSeconds <= 0) {
      return null;
    }
    ReleaseState state = ReleaseState.of(r);
    BakeState b = state.bake() == null ? BakeState.of(null) : state.bake();
    if (b.hasPassed()) {
      return null;
    }
    long now = ctx.now();
    if (state.canary().promoted(r.step()) && b.started()) {
      return Decision.idle(ctx.note(ReleaseState.withBake(r, b.pass()), "bake skipped by the"
          + " operator's promote after " + tally(b, a)));
    }
    if (!b.started()) {
      BakeState next = b.start(now, now + a.warmupSeconds() * 1000L);
      return Decision.idle(Steps.progressing(ctx, ReleaseState.withBake(r, next), "baking " + r.toVersion() + " for "
          + seconds(bakeSeconds * 1000L) + " at 100%: judged against the baseline every " + a.intervalSeconds()
          + "s after a " + a.warmupSeconds() + "s warm-up; " + r.fromVersion() + " stays warm"));
    }
    long started = b.startedAt();
    long end = started + bakeSeconds * 1000L;
    long from = Math.max(Math.max(b.lastAt() == null ? started : b.lastAt(),
        b.warmUntil() == null ? started : b.warmUntil()), ctx.observed().metrics().coverageStartMs());
    if (now - from >= a.intervalSeconds() * 1000L && from < end) {
      return judge(ctx, r, a, b, from);
    }
    if (now >= end) {
      return Decision.idle(ctx.note(ReleaseState.withBake(r, b.pass()), "bake passed: " + tally(b, a)
          + " in " + seconds(bakeSeconds * 1000L)));
    }
    String msg = "baking: " + seconds(end - now) + " left, " + tally(b, a)
        + (b.last() != null ? "; last " + b.last() : "");
    boolean again = r.message() != null && r.message().startsWith("baking: ");
    return Decision.idle(again ? r.withMessage(msg) : Steps.progressing(ctx, r, msg));
  }

  private static Decision judge(PlanContext ctx, Release r, Analysis a, BakeState b, long from) {
    MetricsView m = ctx.observed().metrics();
    MetricsView.Sample baseline = b.baseline() == null ? new MetricsView.Sample(0, 0, 0, 0) : b.baseline().sample();
    CanaryAnalysis.Verdict v = CanaryAnalysis.evaluate(a, m.sum(ctx.app(), r.toVersion(), from, ctx.now()), baseline);
    if (a.prometheus() != null) {
      v = PrometheusAnalysis.combine(v, PrometheusAnalysis.judge(a.prometheus(), ctx.observed().prometheus(), from));
    }
    String reason = "bake: " + v.reason().replace("stable", "baseline");
    BakeState next = b.judged(ctx.now(), reason, v.outcome());
    Release out = AnalysisHistory.append(ReleaseState.withBake(r, next), v.figures().copy().put("reason", reason)
        .put("bake", true).put("at", ctx.at()).put("step", r.step()).put("fromMs", from).put("toMs", ctx.now()));
    int failures = next.failureCount();
    if (failures >= a.failureLimit()) {
      String why = reason + " (" + failures + " failed interval(s), limit " + a.failureLimit() + ")";
      return Decision.idle(ctx.note(ReleaseState.withCommon(out, c -> c.withAbort(why)), "aborting: " + why));
    }
    return Decision.idle(v.outcome() == CanaryAnalysis.Outcome.FAIL
        ? ctx.note(out, reason + " (" + failures + "/" + a.failureLimit() + ")") : out);
  }

  /** True while {@code r} is in its bake (started, not passed). */
  static boolean baking(Release r) {
    BakeState b = ReleaseState.of(r).bake();
    return b != null && b.started() && !b.hasPassed();
  }

  /** {@code r} after an operator's pause of {@code heldMs}: the bake's timers move on, as a step's does. */
  static Release resumed(Release r, long heldMs) {
    if (!baking(r) || heldMs <= 0) {
      return r;
    }
    return ReleaseState.withBake(r, ReleaseState.of(r).bake().held(heldMs));
  }

  /** When the release was created (its first history entry), or {@code fallback} when that is not a time. */
  static long createdAt(Release r, long fallback) {
    try {
      return r.history().isEmpty() ? fallback : Instant.parse(r.history().get(0).at()).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  private static String tally(BakeState b, Analysis a) {
    String s = b.passCount() + " interval(s) passed";
    if (b.inconclusiveCount() > 0) {
      s += ", " + b.inconclusiveCount() + " inconclusive";
    }
    if (b.failureCount() > 0) {
      s += ", " + b.failureCount() + " failed (limit " + a.failureLimit() + ")";
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
