package dev.baton.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.VersionMetrics;
import dev.baton.gateway.routing.Ejection;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-instance meters registered on an instance's first request and removed with it, on a real Prometheus registry. */
class LazyInstanceMetersTest {

  /** Responses by class (1xx..5xx, other), connect failures, the latency histogram, the in-flight gauge. */
  private static final int PER_INSTANCE = 9;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final GatewayMetrics metrics = new GatewayMetrics(registry);
  private final UpstreamRegistry upstreams = new UpstreamRegistry(info -> new Upstream(info,
      Ejection.ofMillis(3, 1000, 30_000), metrics.observerFor(info, () -> this.upstreams.get(info.key()))));

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void instancesThatTookNoRequestHaveNoMeter() {
    List<Upstream> table = table(100, 3, 10);
    assertThat(table).hasSize(3000);
    assertThat(gatewayMeters()).isEmpty();
    assertThat(registry.scrape()).doesNotContain("baton_gateway_responses_total")
        .doesNotContain("baton_gateway_in_flight").doesNotContain("baton_gateway_request_duration_seconds");
  }

  @Test
  void theFirstRequestRegistersTheInstancesMetersAndTheScrapeShowsThem() {
    List<Upstream> table = table(2, 1, 2);
    Upstream used = table.get(0);
    used.acquire();
    assertThat(gatewayMeters()).hasSize(PER_INSTANCE).allMatch(m -> used.info().id().equals(m.getId().getTag("instance")));
    String during = registry.scrape();
    assertThat(during).contains("baton_gateway_in_flight{app=\"app-0\",instance=\"" + used.info().id()
        + "\",version=\"1.0.0\"} 1.0");
    used.observer().completed(200, 3_000_000);
    used.release();
    used.acquire();
    used.observer().completed(503, 30_000_000);
    used.release();
    assertThat(gatewayMeters()).hasSize(PER_INSTANCE);
    String scrape = registry.scrape();
    String tags = "app=\"app-0\",class=\"%s\",instance=\"" + used.info().id() + "\",version=\"1.0.0\"";
    assertThat(scrape).contains("baton_gateway_responses_total{" + tags.formatted("2xx") + "} 1.0")
        .contains("baton_gateway_responses_total{" + tags.formatted("5xx") + "} 1.0")
        .contains("baton_gateway_responses_total{" + tags.formatted("4xx") + "} 0.0")
        .contains("baton_gateway_responses_total{" + tags.formatted("other") + "} 0.0")
        .contains("baton_gateway_request_duration_seconds_bucket{app=\"app-0\",instance=\"" + used.info().id()
            + "\",version=\"1.0.0\",le=\"0.005\"} 1")
        .contains("baton_gateway_request_duration_seconds_count{app=\"app-0\",instance=\"" + used.info().id()
            + "\",version=\"1.0.0\"} 2")
        .contains("baton_gateway_connect_failures_total{app=\"app-0\",instance=\"" + used.info().id()
            + "\",version=\"1.0.0\"} 0.0")
        .contains("baton_gateway_in_flight{app=\"app-0\",instance=\"" + used.info().id() + "\",version=\"1.0.0\"} 0.0");
    for (Upstream idle : table.subList(1, table.size())) {
      assertThat(scrape).doesNotContain("instance=\"" + idle.info().id() + "\"");
    }
  }

  @Test
  void aConnectFailureAsFirstEventRegistersTheMeters() {
    Upstream u = table(1, 1, 1).get(0);
    u.observer().connectFailed();
    assertThat(gatewayMeters()).hasSize(PER_INSTANCE);
    assertThat(registry.scrape()).contains("baton_gateway_connect_failures_total{app=\"app-0\",instance=\""
        + u.info().id() + "\",version=\"1.0.0\"} 1.0");
  }

  @Test
  void theMetersOfARemovedInstanceLeaveTheRegistryAndAreNotRegisteredAgain() {
    List<Upstream> table = table(1, 2, 2);
    table.forEach(u -> {
      u.acquire();
      u.observer().completed(200, 1_000_000);
      u.release();
    });
    assertThat(gatewayMeters()).hasSize(4 * PER_INSTANCE);
    Upstream leaving = table.get(0);
    leaving.acquire(); // a request still in flight when its instance leaves the table
    Set<String> live = table.subList(1, table.size()).stream().map(u -> u.info().key()).collect(Collectors.toSet());
    metrics.forget(upstreams.retainOnly(live));
    assertThat(gatewayMeters()).hasSize(3 * PER_INSTANCE).noneMatch(m -> leaving.info().id().equals(m.getId().getTag("instance")));
    leaving.observer().completed(200, 2_000_000);
    leaving.release();
    leaving.acquire();
    leaving.observer().connectFailed();
    assertThat(gatewayMeters()).hasSize(3 * PER_INSTANCE);
    assertThat(registry.scrape()).doesNotContain("instance=\"" + leaving.info().id() + "\"");
    // the version window still counts it: the registry's analysis sees every request relayed
    VersionMetrics drained = metrics.drain("gw", 0, 1000, Set.of());
    assertThat(drained.entries()).filteredOn(e -> e.version().equals("1.0.0")).singleElement().satisfies(e -> {
      assertThat(e.requests()).isEqualTo(3);
      assertThat(e.connectFailures()).isEqualTo(1);
    });
    // an instance that never took a request leaves without a trace either
    Upstream fresh = upstreams.obtain(new InstanceInfo("fresh", "app-0", "2.0.0", "127.0.0.1", 21999));
    metrics.forget(upstreams.retainOnly(live));
    assertThat(fresh.draining()).isTrue();
    assertThat(gatewayMeters()).hasSize(3 * PER_INSTANCE);
  }

  @Test
  void requestsRacingOnManyThreadsRegisterOneSetOfMeters() throws Exception {
    Upstream u = table(1, 1, 1).get(0);
    int threads = 8;
    int perThread = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            u.acquire();
            u.observer().completed(200, 1_000_000);
            u.release();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(gatewayMeters()).hasSize(PER_INSTANCE);
    assertThat(registry.get("baton_gateway_responses").tag("class", "2xx").counter().count())
        .isEqualTo(threads * perThread);
    assertThat(registry.get("baton_gateway_request_duration").timer().count()).isEqualTo(threads * perThread);
  }

  private List<Upstream> table(int apps, int versions, int instances) {
    List<Upstream> out = new ArrayList<>();
    IntStream.range(0, apps).forEach(a -> IntStream.range(0, versions).forEach(v -> IntStream.range(0, instances)
        .forEach(i -> out.add(upstreams.obtain(new InstanceInfo("app-" + a + "-v" + v + "-i" + i, "app-" + a,
            (v + 1) + ".0.0", "127.0.0.1", 20000 + out.size()))))));
    return out;
  }

  private List<Meter> gatewayMeters() {
    return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("baton_gateway_")).toList();
  }
}
