package dev.baton.gateway.metrics;

import dev.baton.common.bus.VersionMetrics;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Owns the gateway's request meters. Prometheus names: {@code baton_gateway_responses_total{app,version,
 * instance,class}} (class 1xx..5xx, "other"), {@code baton_gateway_request_duration_seconds} (histogram),
 * {@code baton_gateway_connect_failures_total} and the gauge {@code baton_gateway_in_flight}.
 * An instance's meters are registered on its first request and removed when it leaves the table, so the series set
 * follows the instances that take traffic, and an idle instance costs no meter (docs/ARCHITECTURE.md, "Gateway
 * memory").
 */
public final class GatewayMetrics {

  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };
  private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final Map<String, VersionWindow> windows = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The observer for an instance's requests. Its nine meters are registered on the instance's first request, not
   * here ({@link InstanceMeters}); the in-flight gauge reads {@code upstream} lazily.
   */
  public UpstreamObserver observerFor(InstanceInfo info, Supplier<Upstream> upstream) {
    VersionWindow window = windows.computeIfAbsent(versionKey(info.app(), info.version()),
        k -> new VersionWindow(info.app(), info.version()));
    return new InstanceMeters(registry, r -> register(r, info, upstream), window);
  }

  private static InstanceMeters.Meters register(MeterRegistry registry, InstanceInfo info, Supplier<Upstream> upstream) {
    Tags tags = Tags.of("app", info.app(), "version", info.version(), "instance", info.id());
    List<Meter> meters = new ArrayList<>(CLASSES.length + 3);
    Counter[] byClass = new Counter[CLASSES.length];
    for (int i = 0; i < CLASSES.length; i++) {
      byClass[i] = Counter.builder("baton_gateway_responses").description("Responses relayed, by status class")
          .tags(tags).tag("class", CLASSES[i]).register(registry);
      meters.add(byClass[i]);
    }
    Counter connect = Counter.builder("baton_gateway_connect_failures")
        .description("Connections to the instance that could not be made").tags(tags).register(registry);
    Timer latency = Timer.builder("baton_gateway_request_duration").description("Time from request to last response byte")
        .tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    Gauge inFlight = Gauge.builder("baton_gateway_in_flight", () -> {
      Upstream u = upstream.get();
      return u == null ? 0 : u.inFlight();
    }).description("Requests in flight to the instance").tags(tags).register(registry);
    meters.add(connect);
    meters.add(latency);
    meters.add(inFlight);
    return new InstanceMeters.Meters(byClass, connect, latency, List.copyOf(meters));
  }

  /** Removes the meters of instances that left the table; an instance that took no request has none. */
  public void forget(Collection<Upstream> gone) {
    for (Upstream u : gone) {
      if (u.observer() instanceof InstanceMeters m) {
        m.close();
      }
    }
  }

  /**
   * Drains every version window into a bus message. Entries: every version in {@code current} (even with
   * no traffic, so analysis sees an explicit zero) plus any other version that had traffic in the window.
   */
  public VersionMetrics drain(String gateway, long windowStartMs, long windowEndMs, Set<String> current) {
    List<VersionMetrics.Entry> entries = new ArrayList<>();
    windows.forEach((key, w) -> {
      VersionMetrics.Entry e = w.drain();
      if (e.requests() > 0 || e.connectFailures() > 0 || current.contains(key)) {
        entries.add(e);
      } else {
        windows.remove(key, w);
      }
    });
    entries.sort(java.util.Comparator.comparing(VersionMetrics.Entry::app).thenComparing(VersionMetrics.Entry::version));
    return new VersionMetrics(gateway, windowStartMs, windowEndMs, entries);
  }

  /** The key of a version in {@link #drain}'s {@code current} set. */
  public static String versionKey(String app, String version) {
    return app + "\n" + version;
  }
}
