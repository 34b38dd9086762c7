package dev.baton.e2e.fleet;

import java.util.List;
import java.util.Locale;

/**
 * One fleet scenario's line of the figures table: traffic through the front, failures (and how many the scenario
 * allows), the POST accounting, and the times that matter for a fault — to restore capacity, to a new leader
 * (registry or Consul, whichever the scenario killed), and the release's duration. A time not measured is -1.
 */
public record FleetFigures(String scenario, long requests, double seconds, long failures, long allowedFailures,
                           long postsAcked, long postsSeen, int duplicated, int lost, double restoreSeconds,
                           double leaderSeconds, double releaseSeconds, String outcome) {

  private static final String FORMAT = "%-44s %8s %6s %9s %13s %8s %9s %9s %9s  %s%n";

  public static String table(List<FleetFigures> all) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, FORMAT, "scenario", "requests", "req/s",
        "failures", "POSTs ok/seen", "dup/lost", "restore s", "leader s", "release s", "outcome"));
    for (FleetFigures f : all) {
      String failures = f.allowedFailures() > 0 ? f.failures() + "/" + f.allowedFailures() + "*"
          : String.valueOf(f.failures());
      sb.append(String.format(Locale.ROOT, FORMAT, f.scenario(), f.requests(),
          String.format(Locale.ROOT, "%.0f", f.requests() / Math.max(0.001, f.seconds())), failures,
          f.postsAcked() + "/" + f.postsSeen(), f.duplicated() + "/" + f.lost(), time(f.restoreSeconds()),
          time(f.leaderSeconds()), time(f.releaseSeconds()), f.outcome()));
    }
    if (all.stream().anyMatch(f -> f.allowedFailures() > 0)) {
      sb.append("* failures/bound: requests in flight on the gateway whose host was killed (see FleetIT)\n");
    }
    return sb.toString();
  }

  private static String time(double seconds) {
    return seconds < 0 ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
  }
}
