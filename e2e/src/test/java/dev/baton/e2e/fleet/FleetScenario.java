package dev.baton.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.load.Load;
import dev.baton.e2e.load.OrdersAudit;
import dev.baton.e2e.load.Sample;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.fleet.Fleet;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.fleet.HaproxyFront;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One fleet scenario: continuous load through the front (from the test JVM, the load host), the orders audit of
 * every agent's instances at their host's address, the release under test and the times the scenario measures.
 * {@link #finish} stops the load, checks failures and POSTs, and returns the scenario's line of the table.
 */
final class FleetScenario implements AutoCloseable {

  static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(240);
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "ABORTED", "FAILED");

  private final Fleet fleet;
  private final String name;
  private final Load load;
  private final OrdersAudit audit;
  private final long startedNanos = System.nanoTime();
  private String releaseId;
  private long releaseStartedNanos;
  private long releaseEndedNanos;
  double restoreSeconds = -1;
  double leaderSeconds = -1;
  long allowedFailures;
  Predicate<Sample> allowed = s -> false;
  String outcome = "";

  FleetScenario(Fleet fleet, Vertx vertx, String name, Load.Profile profile, String virtualHost) {
    this.fleet = fleet;
    this.name = name;
    Map<Http, String> agents = new LinkedHashMap<>();
    for (Service a : fleet.agents()) {
      agents.put(a.http(), a.host().address());
    }
    this.audit = OrdersAudit.startOnHosts(agents);
    String tag = name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
    this.load = Load.start(vertx, fleet.front().address(), virtualHost, HaproxyFront.PORT, tag, profile,
        Duration.ofMinutes(6));
    Poll.until(Duration.ofSeconds(30), () -> load.samples().size() >= 100, "the load to warm up");
  }

  OrdersAudit audit() {
    return audit;
  }

  Load load() {
    return load;
  }

  /** Starts a release of {@code app} to {@code version} with {@code strategy} (JSON) on the leading registry. */
  FleetScenario release(String app, String version, String strategy) {
    releaseStartedNanos = System.nanoTime();
    JsonObject body = new JsonObject().put("version", version);
    if (strategy != null) {
      body.put("strategy", new JsonObject(strategy));
    }
    releaseId = fleet.registry().post("/v1/apps/" + app + "/releases", body).ok("release " + app + " " + version)
        .json().getString("id");
    return this;
  }

  String releaseId() {
    return releaseId;
  }

  /** The release as the leading registry reports it. */
  JsonObject releaseState() {
    return fleet.registry().get("/v1/releases/" + releaseId).ok("GET release " + releaseId).json();
  }

  /** Waits until the release is in {@code phase}; another terminal phase fails at once with its message. */
  FleetScenario awaitPhase(String phase) {
    JsonObject r = Poll.value(RELEASE_TIMEOUT, () -> {
      JsonObject now = releaseState();
      String p = now.getString("phase");
      if (!p.equals(phase) && TERMINAL.contains(p)) {
        throw new AssertionError("release " + releaseId + " ended " + p + " while waiting for " + phase + ": "
            + now.getString("message"));
      }
      return p.equals(phase) ? now : null;
    }, "release " + releaseId + " to be " + phase);
    if (TERMINAL.contains(r.getString("phase"))) {
      releaseEndedNanos = System.nanoTime();
    }
    return this;
  }

  /** Waits until {@code check} holds on the release (e.g. a step reached). */
  FleetScenario awaitRelease(Predicate<JsonObject> check, String what) {
    Poll.until(RELEASE_TIMEOUT, () -> {
      JsonObject now = releaseState();
      if (TERMINAL.contains(now.getString("phase")) && !check.test(now)) {
        throw new AssertionError("release " + releaseId + " ended " + now.getString("phase") + " before " + what
            + ": " + now.getString("message"));
      }
      return check.test(now);
    }, what);
    return this;
  }

  double secondsSinceStart(long nanos) {
    return (nanos - startedNanos) / 1e9;
  }

  /** Seconds from {@code sinceNanos} until {@code check} holds. */
  static double timeUntil(long sinceNanos, Duration timeout, Poll.Check check, String what) {
    Poll.until(timeout, check, what);
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  /**
   * Stops the load, settles the audit and checks: no failed request (but those {@link #allowed} says the scenario
   * may lose, at most {@link #allowedFailures}), no POST lost, duplicated, or recorded without an acknowledgement.
   */
  FleetFigures finish(List<FleetFigures> table) {
    load.stop();
    audit.settle();
    List<Sample> samples = load.samples();
    List<Sample> failed = samples.stream().filter(Sample::failed).toList();
    OrdersAudit.Verdict v = audit.verdict(load.tag(), samples);
    List<String> lost = samples.stream().filter(s -> s.kind() == Sample.Kind.POST)
        .collect(Collectors.groupingBy(Sample::key)).entrySet().stream()
        .filter(e -> e.getValue().stream().noneMatch(s -> s.status() == 201)).map(Map.Entry::getKey).sorted()
        .toList();
    double release = releaseEndedNanos > 0 ? (releaseEndedNanos - releaseStartedNanos) / 1e9 : -1;
    FleetFigures f = new FleetFigures(name, samples.size(), (load.stoppedNanos() - load.startedNanos()) / 1e9,
        failed.size(), allowedFailures, v.acked(), v.seen(), v.duplicated().size(), lost.size(), restoreSeconds,
        leaderSeconds, release, outcome);
    table.add(f);
    System.out.print(FleetFigures.table(List.of(f)));
    assertThat(failed.stream().filter(allowed.negate()).limit(10).toList())
        .as("failed requests of %d (not counting those the scenario allows)", samples.size()).isEmpty();
    assertThat((long) failed.size()).as("failures the scenario allows").isLessThanOrEqualTo(allowedFailures);
    assertThat(v.duplicated()).as("orders recorded twice").isEmpty();
    assertThat(v.phantom()).as("orders recorded although the client never got a 201").isEmpty();
    assertThat(lost).as("POST keys never acknowledged").isEmpty();
    assertThat(v.unexplained()).as("acknowledged orders missing from an instance still readable").isEmpty();
    assertThat(v.acked()).as("orders acknowledged").isPositive();
    return f;
  }

  @Override
  public void close() {
    load.close();
    audit.close();
  }
}
