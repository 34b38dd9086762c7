package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.VersionMetrics;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests in flight per instance, as the gateways report them each second (the dashboard's instance table). */
class InFlightTest {

  private Vertx vertx;
  private MetricsCollector collector;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    collector = new MetricsCollector(vertx, 900_000);
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void theLatestReportOfEveryGatewayAddsUpAndAStaleOneCountsForNothing() {
    collector.add(new VersionMetrics("gw-a", 0, 10_000, List.of(), Map.of("shop-1", 3, "shop-2", 1)));
    collector.add(new VersionMetrics("gw-b", 0, 10_500, List.of(), Map.of("shop-1", 2)));
    assertThat(collector.inFlight("shop-1", 11_000)).isEqualTo(5);
    assertThat(collector.inFlight("shop-2", 11_000)).isEqualTo(1);
    assertThat(collector.inFlight("shop-3", 11_000)).isZero();

    collector.add(new VersionMetrics("gw-a", 10_000, 11_000, List.of(), Map.of()));
    assertThat(collector.inFlight("shop-1", 11_000)).as("gw-a's newer report replaces its older one").isEqualTo(2);
    assertThat(collector.inFlight("shop-1", 10_500 + MetricsCollector.IN_FLIGHT_FRESH_MS + 1))
        .as("gw-b stopped reporting").isZero();
  }

  @Test
  void theCountsTravelOnTheBusAndAnOlderGatewaySendsNone() {
    VersionMetrics m = new VersionMetrics("gw-a", 0, 1000, List.of(), Map.of("shop-1", 4));
    assertThat(VersionMetrics.fromJson(m.toJson()).inFlight()).containsExactly(Map.entry("shop-1", 4));
    var older = m.toJson();
    older.remove("inFlight");
    assertThat(VersionMetrics.fromJson(older).inFlight()).isEmpty();
  }
}
