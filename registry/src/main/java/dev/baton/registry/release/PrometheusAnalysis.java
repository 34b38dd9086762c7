package dev.baton.registry.release;

import dev.baton.common.model.PrometheusCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An analysis interval's Prometheus part (docs/registry-api.md, "Canary analysis"): each query's answer asked inside
 * the window must lie within its bounds. A value out of bounds, or a query Prometheus refused or failed or that got no
 * answer, fails the interval with the numbers or the message; a query whose vector has no sample (or NaN), or no
 * answer asked inside the window yet, is inconclusive. {@link #combine} joins it with the baseline test's verdict:
 * either failing fails, else either inconclusive is inconclusive, else the interval passes. Pure.
 */
final class PrometheusAnalysis {

  private PrometheusAnalysis() {
  }

  /** The verdict of the queries of {@code check} on {@code readings} for a window starting at {@code fromMs}. */
  static CanaryAnalysis.Verdict judge(PrometheusCheck check, PrometheusReadings readings, long fromMs) {
    JsonArray figures = new JsonArray();
    List<String> failed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    boolean fresh = readings.atMs() > fromMs;
    for (PrometheusCheck.Query q : check.queries()) {
      PrometheusReadings.Reading r = fresh ? readings.byName().get(q.name()) : null;
      JsonObject f = new JsonObject().put("name", q.name()).put("min", q.min()).put("max", q.max());
      figures.add(f);
      if (r == null) {
        unknown.add(q.name() + ": no answer from Prometheus in this window yet");
        f.put("verdict", CanaryAnalysis.Outcome.INCONCLUSIVE.name());
      } else if (r.error() != null) {
        failed.add(q.name() + ": " + r.error());
        f.put("verdict", CanaryAnalysis.Outcome.FAIL.name()).put("error", r.error());
      } else if (r.value() == null || r.value().isNaN()) {
        unknown.add(q.name() + " returned no sample");
        f.put("verdict", CanaryAnalysis.Outcome.INCONCLUSIVE.name());
      } else {
        double v = r.value();
        f.put("value", Double.isInfinite(v) ? String.valueOf(v) : v);
        String bounds = "[" + bound(q.min()) + ", " + bound(q.max()) + "]";
        if (q.min() != null && v < q.min() || q.max() != null && v > q.max()) {
          failed.add(q.name() + " = " + num(v) + " is outside " + bounds);
          f.put("verdict", CanaryAnalysis.Outcome.FAIL.name());
        } else {
          passed.add(q.name() + " = " + num(v) + " within " + bounds);
          f.put("verdict", CanaryAnalysis.Outcome.PASS.name());
        }
      }
    }
    JsonObject out = new JsonObject().put("prometheus", figures);
    if (!failed.isEmpty()) {
      return new CanaryAnalysis.Verdict(CanaryAnalysis.Outcome.FAIL, "prometheus " + String.join(", ", failed), out);
    }
    if (!unknown.isEmpty()) {
      return new CanaryAnalysis.Verdict(CanaryAnalysis.Outcome.INCONCLUSIVE, "prometheus " + String.join(", ", unknown),
          out);
    }
    return new CanaryAnalysis.Verdict(CanaryAnalysis.Outcome.PASS, "prometheus " + String.join(", ", passed), out);
  }

  /** The interval's verdict from the baseline test's and the queries'; its figures carry both. */
  static CanaryAnalysis.Verdict combine(CanaryAnalysis.Verdict base, CanaryAnalysis.Verdict prom) {
    CanaryAnalysis.Outcome o = base.outcome() == CanaryAnalysis.Outcome.FAIL || prom.outcome() == CanaryAnalysis.Outcome.FAIL
        ? CanaryAnalysis.Outcome.FAIL : base.outcome() == CanaryAnalysis.Outcome.INCONCLUSIVE
        || prom.outcome() == CanaryAnalysis.Outcome.INCONCLUSIVE ? CanaryAnalysis.Outcome.INCONCLUSIVE
        : CanaryAnalysis.Outcome.PASS;
    String reason;
    if (base.outcome() == o) {
      reason = base.reason() + "; " + prom.reason();
    } else {
      // The query decided: say so first, then what the baseline test said.
      reason = o.name().toLowerCase(Locale.ROOT).replace("fail", "failed") + ": " + prom.reason() + " (baseline test "
          + base.reason() + ")";
    }
    JsonObject figures = base.figures().copy().mergeIn(prom.figures()).put("verdict", o.name()).put("reason", reason);
    return new CanaryAnalysis.Verdict(o, reason, figures);
  }

  private static String bound(Double b) {
    return b == null ? "-" : num(b);
  }

  private static String num(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
  }
}
