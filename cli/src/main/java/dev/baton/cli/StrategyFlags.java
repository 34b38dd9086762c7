package dev.baton.cli;

import dev.baton.cli.client.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The strategy flags of {@code baton release}, turned into the registry's strategy JSON (docs/registry-api.md,
 * "Releases"). A combination that makes no sense is refused here, before anything is sent (exit 2).
 */
final class StrategyFlags {

  @Option(names = "--canary", paramLabel = "STEPS", description = {"canary steps: weights in %%, e.g. 10,50,100;",
      "a step may carry its own pause: 10:30s,50:manual,100"})
  String canary;

  @Option(names = "--pause", paramLabel = "DURATION|manual",
      description = "canary: pause after each step below 100%% (30s, 5m, 1h or manual: until baton promote)")
  String pause;

  @Option(names = "--sticky-header", paramLabel = "HEADER", description = "canary: keep each user (this header's value) on one version")
  String stickyHeader;

  @Option(names = "--analysis", description = "canary: judge each interval from the gateways' metrics (registry defaults)")
  boolean analysis;

  @Option(names = "--max-error-rate", paramLabel = "RATE",
      description = "analysis: an absolute ceiling on the canary's error rate (0.05 = 5%%; off by default)")
  Double maxErrorRate;

  @Option(names = "--max-error-rate-increase", paramLabel = "RATE",
      description = "analysis: fail when the canary's error rate is above stable's by more than this (default 0.01)")
  Double maxErrorRateIncrease;

  @Option(names = "--confidence", paramLabel = "P",
      description = "analysis: how sure the test must be that the canary is worse (default 0.95)")
  Double confidence;

  @Option(names = "--min-p99-increase", paramLabel = "DURATION",
      description = "analysis: p99 differences below this never fail (default 25ms; e.g. 50ms)")
  String minP99Increase;

  @Option(names = "--warmup", paramLabel = "DURATION",
      description = "analysis: seconds left out after new canary instances get traffic (default 15s)")
  String warmup;

  @Option(names = "--max-p99-ratio", paramLabel = "X", description = "analysis: fail when the canary's p99 exceeds X times stable's")
  Double maxP99Ratio;

  @Option(names = "--min-requests", paramLabel = "N", description = "analysis: fewer canary requests make an interval inconclusive")
  Integer minRequests;

  @Option(names = "--interval", paramLabel = "DURATION", description = "analysis: interval length (e.g. 10s)")
  String interval;

  @Option(names = "--failure-limit", paramLabel = "N", description = "analysis: failed intervals that abort the release")
  Integer failureLimit;

  @Option(names = "--blue-green", description = "start green beside blue; promote switches all traffic at once")
  boolean blueGreen;

  @Option(names = "--preview-header", paramLabel = "H=V", description = "blue-green: requests with this header reach green before promotion")
  String previewHeader;

  @Option(names = "--auto-promote", paramLabel = "DURATION", description = "blue-green: promote by itself after this long")
  String autoPromote;

  @Option(names = "--scale-down-delay", paramLabel = "DURATION", description = "blue-green: keep blue warm this long after promotion")
  String scaleDownDelay;

  @Option(names = "--bake", paramLabel = "DURATION",
      description = "canary, blue-green: after 100%%, judge the new version against the baseline this long, previous kept warm")
  String bake;

  @Option(names = "--rolling", description = "replace instances a few at a time (the registry's default strategy)")
  boolean rolling;

  @Option(names = "--in-place", description = "rolling: stop an old instance, start the new one on its agent and port")
  boolean inPlace;

  @Option(names = "--max-surge", paramLabel = "N", description = "rolling (surge): new instances started beyond the count")
  Integer maxSurge;

  @Option(names = "--max-unavailable", paramLabel = "N", description = "rolling: instances that may be out at once")
  Integer maxUnavailable;

  @Option(names = "--min-healthy", paramLabel = "DURATION",
      description = "any strategy: a new instance counts for a step, promotion or replacement after healthy this long")
  String minHealthy;

  @Option(names = "--progress-deadline", paramLabel = "DURATION",
      description = "any strategy: abort when blocked this long (10s..24h; default: the registry's setting)")
  String progressDeadline;

  /** The strategy object, or null when no strategy flag was given (the registry's default: rolling surge). */
  Map<String, Object> strategy() {
    List<String> kinds = new ArrayList<>();
    if (canary != null) {
      kinds.add("--canary");
    }
    if (blueGreen) {
      kinds.add("--blue-green");
    }
    if (rolling) {
      kinds.add("--rolling");
    }
    if (kinds.size() > 1) {
      throw usage("choose one strategy: " + String.join(" and ", kinds) + " cannot be combined");
    }
    boolean analysisFlags = analysis || maxErrorRate != null || maxP99Ratio != null || minRequests != null
        || interval != null || failureLimit != null || maxErrorRateIncrease != null || confidence != null
        || minP99Increase != null || warmup != null;
    if (bake != null && canary == null && !blueGreen) {
      throw usage("--bake belongs to --canary or --blue-green: a rolling release stops old instances as it goes, so"
          + " nothing stays warm to flip back to");
    }
    only(canary != null || blueGreen && bake != null, "--canary (or --blue-green with --bake)", analysisFlags,
        "--analysis (and its --max-error-rate[-increase], --confidence, --max-p99-ratio, --min-p99-increase, "
            + "--min-requests, --interval, --warmup, --failure-limit)");
    only(canary != null, "--canary", pause != null, "--pause", stickyHeader != null, "--sticky-header");
    only(blueGreen, "--blue-green", previewHeader != null, "--preview-header", autoPromote != null, "--auto-promote",
        scaleDownDelay != null, "--scale-down-delay");
    only(rolling, "--rolling", inPlace, "--in-place", maxSurge != null, "--max-surge", maxUnavailable != null,
        "--max-unavailable");
    Map<String, Object> s = canary != null ? canary(analysisFlags) : blueGreen ? blueGreen(analysisFlags) : rolling ? rolling()
        : null;
    if (s == null && (minHealthy != null || progressDeadline != null)) {
      throw usage((minHealthy != null ? "--min-healthy" : "--progress-deadline")
          + " belongs to a strategy; add --rolling, --canary or --blue-green");
    }
    if (s != null) {
      putIf(s, "bakeSeconds", bake == null ? null : Durations.seconds(bake, "--bake"));
      putIf(s, "minHealthySeconds", minHealthy == null ? null : Durations.seconds(minHealthy, "--min-healthy"));
      putIf(s, "progressDeadlineSeconds", progressDeadline == null ? null
          : Durations.seconds(progressDeadline, "--progress-deadline"));
    }
    return s;
  }

  /** True when any strategy flag was given (so {@code -f} cannot be combined with it). */
  boolean any() {
    return canary != null || blueGreen || rolling || pause != null || stickyHeader != null || previewHeader != null
        || inPlace || maxSurge != null || maxUnavailable != null || analysis || autoPromote != null
        || scaleDownDelay != null || minHealthy != null || maxErrorRate != null || maxP99Ratio != null
        || minRequests != null || interval != null || failureLimit != null || maxErrorRateIncrease != null
        || confidence != null || minP99Increase != null || warmup != null || progressDeadline != null || bake != null;
  }

  private Map<String, Object> canary(boolean withAnalysis) {
    List<Map<String, Object>> steps = new ArrayList<>();
    double previous = 0;
    for (String part : canary.split(",")) {
      String[] wp = part.trim().split(":", 2);
      double w;
      try {
        w = Double.parseDouble(wp[0].trim().replace("%", ""));
      } catch (NumberFormatException e) {
        throw usage("--canary takes weights in %, like 10,50,100; '" + part.trim() + "' is not one");
      }
      if (w <= previous || w > 100) {
        throw usage("--canary weights must rise strictly within 1..100, like 10,50,100; got " + canary);
      }
      previous = w;
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("weight", w == Math.rint(w) ? (Object) (long) w : (Object) w);
      String p = wp.length > 1 ? wp[1].trim() : w < 100 ? pause : null;
      if ("manual".equals(p)) {
        step.put("pause", "manual");
      } else if (p != null) {
        step.put("pauseSeconds", Durations.seconds(p, "the pause of step " + (steps.size() + 1)));
      }
      steps.add(step);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "canary");
    s.put("steps", steps);
    if (stickyHeader != null) {
      s.put("sticky", Map.of("header", stickyHeader));
    }
    if (withAnalysis) {
      s.put("analysis", analysis());
    }
    return s;
  }

  /** The analysis object of the analysis flags (each left out when not given: the registry's default). */
  private Map<String, Object> analysis() {
    Map<String, Object> a = new LinkedHashMap<>();
    putIf(a, "maxErrorRate", maxErrorRate);
    putIf(a, "maxErrorRateIncrease", maxErrorRateIncrease);
    putIf(a, "confidence", confidence);
    putIf(a, "maxP99Ratio", maxP99Ratio);
    putIf(a, "minP99IncreaseMs", minP99Increase == null ? null : millis(minP99Increase));
    putIf(a, "minRequests", minRequests);
    putIf(a, "intervalSeconds", interval == null ? null : Durations.seconds(interval, "--interval"));
    putIf(a, "failureLimit", failureLimit);
    putIf(a, "warmupSeconds", warmup == null ? null : Durations.seconds(warmup, "--warmup"));
    return a;
  }

  private Map<String, Object> blueGreen(boolean withAnalysis) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "blue-green");
    if (previewHeader != null) {
      int eq = previewHeader.indexOf('=');
      if (eq <= 0 || eq == previewHeader.length() - 1) {
        throw usage("--preview-header takes HEADER=VALUE, like X-Baton-Preview=green; got '" + previewHeader + "'");
      }
      Map<String, Object> preview = new LinkedHashMap<>();
      preview.put("header", previewHeader.substring(0, eq).trim());
      preview.put("equals", previewHeader.substring(eq + 1).trim());
      s.put("preview", preview);
    }
    putIf(s, "autoPromoteSeconds", autoPromote == null ? null : Durations.seconds(autoPromote, "--auto-promote"));
    putIf(s, "scaleDownDelaySeconds", scaleDownDelay == null ? null : Durations.seconds(scaleDownDelay, "--scale-down-delay"));
    if (withAnalysis) {
      s.put("analysis", analysis());
    }
    return s;
  }

  private Map<String, Object> rolling() {
    if (inPlace && maxSurge != null) {
      throw usage("--in-place replaces instances where they run, so it starts none beyond the count: drop --max-surge"
          + " (or drop --in-place)");
    }
    if (inPlace && maxUnavailable != null && maxUnavailable == 0) {
      throw usage("--in-place takes instances out one at a time, so it needs --max-unavailable 1 or more");
    }
    if (maxSurge != null && maxSurge == 0 && maxUnavailable != null && maxUnavailable == 0) {
      throw usage("--max-surge 0 with --max-unavailable 0 could never progress: allow one of them");
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "rolling");
    s.put("mode", inPlace ? "in-place" : "surge");
    putIf(s, "maxSurge", maxSurge);
    putIf(s, "maxUnavailable", maxUnavailable);
    return s;
  }

  /** {@code only(owner, "--canary", flag, "--pause", ...)}: a sub-flag given without its strategy is a usage error. */
  private static void only(boolean owner, String ownerName, Object... flagsAndNames) {
    for (int i = 0; i < flagsAndNames.length; i += 2) {
      if ((Boolean) flagsAndNames[i] && !owner) {
        throw usage(flagsAndNames[i + 1] + " belongs to " + ownerName + "; add " + ownerName + " or drop it");
      }
    }
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static CliException usage(String message) {
    return CliException.usage(message);
  }

  /** A duration in ms: {@code 25ms}, or whole seconds as {@code --pause} takes them ({@code 1s}). */
  private static long millis(String text) {
    String t = text.trim();
    if (t.matches("\\d+ms")) {
      return Long.parseLong(t.substring(0, t.length() - 2));
    }
    return Durations.seconds(t, "--min-p99-increase") * 1000;
  }
}
