package dev.baton.e2e.fleet;

import dev.baton.common.config.ServiceKind;
import dev.baton.e2e.load.Load;
import java.time.Duration;
import java.util.Map;

/** The timings the fleet runs with, the load and the strategies of the scenarios, in one place. */
final class FleetTimings {

  /**
   * Short ticks and deadlines, as e2e's single-host stack uses; a host counts as lost 10 s after its agent stopped
   * passing (docs/ARCHITECTURE.md, Registry), which leaves room to restore capacity within 30 s of a host's death.
   */
  static final Map<ServiceKind, Map<String, String>> TUNE = Map.of(
      ServiceKind.REGISTRY, Map.of("BATON_TICK_MS", "200", "BATON_ROUTE_ACK_TIMEOUT_MS", "5000",
          "BATON_ROUTE_PROPAGATION_MS", "500", "BATON_START_TIMEOUT_MS", "120000",
          "BATON_PROGRESS_DEADLINE_SECONDS", "240", "BATON_SHUTDOWN_GRACE_MS", "10000",
          "BATON_HOST_LOST_MS", "10000", "BATON_RECONCILE_MS", "1000"),
      ServiceKind.GATEWAY, Map.of("BATON_TRAFFIC_INSTANCES", "1"),
      ServiceKind.AGENT, Map.of("BATON_DRAIN_TIMEOUT_MS", "15000", "BATON_DRAIN_PROPAGATION_MS", "500",
          "BATON_STOP_GRACE_MS", "10000", "BATON_HEALTH_TIMEOUT_MS", "90000"));

  /**
   * About 110 requests a second through the front: lighter than the single-host suite's 250, since a dozen JVMs
   * and the instances share the machine; every stream (kept-alive, fresh connections, POSTs, sticky users, slow
   * requests) is there.
   */
  static final Load.Profile LOAD = new Load.Profile(50, 15, 20, 20, 4, 1000, 100);

  /** The second app's lighter load in the two-apps scenario. */
  static final Load.Profile CART_LOAD = new Load.Profile(15, 5, 10, 5, 2, 1000, 50);

  static final String ROLLING = "{\"type\": \"rolling\", \"mode\": \"surge\", \"maxSurge\": 1, \"maxUnavailable\": 0}";

  /** A rolling release slow enough (each new instance healthy 5 s before the next step) to kill a host in it. */
  static final String ROLLING_SLOW = "{\"type\": \"rolling\", \"mode\": \"surge\", \"maxSurge\": 1,"
      + " \"maxUnavailable\": 0, \"minHealthySeconds\": 5}";

  /** A canary that stops at 25% until promoted. */
  static final String CANARY_MANUAL = "{\"type\": \"canary\", \"steps\": [{\"weight\": 25, \"pause\": \"manual\"},"
      + " {\"weight\": 100}]}";

  /**
   * How long the front may route to a gateway that died: two failed checks ({@code fall 2}) {@code inter 500ms}
   * apart, each allowed {@code timeout check 1s}, plus one interval of slack.
   */
  static final Duration FRONT_DETECTION = Duration.ofMillis(3000);

  private FleetTimings() {
  }

  /**
   * The most requests that can be in flight on one of two gateways when it dies: half of what the load sends
   * while the front has not marked it down, plus every slow request.
   */
  static long inFlightBound(Load.Profile profile) {
    return (long) (profile.perSecond() * FRONT_DETECTION.toMillis() / 1000.0 / 2) + profile.slowInFlight();
  }
}
