package dev.baton.agent.metrics;

import dev.baton.common.model.InstanceState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.ToIntFunction;

/**
 * The agent's own meters, next to Vert.x's HTTP and event-bus meters, all scraped from {@code GET /metrics}
 * in the Prometheus format: instances per state, and counters of starts, failures, crashes, restarts and
 * drain timeouts.
 */
public final class AgentMetrics {

  private final MeterRegistry registry;
  private final Counter starts;
  private final Counter failures;
  private final Counter crashes;
  private final Counter restarts;
  private final Counter drainTimeouts;

  public AgentMetrics(ToIntFunction<InstanceState> countInState) {
    MeterRegistry backend = BackendRegistries.getDefaultNow();
    this.registry = backend == null ? new SimpleMeterRegistry() : backend;
    for (InstanceState state : InstanceState.values()) {
      Gauge.builder("baton_agent_instances", () -> countInState.applyAsInt(state))
          .tag("state", state.name()).description("instances on this agent by state").register(registry);
    }
    starts = counter("baton_agent_instance_starts", "instance processes launched");
    failures = counter("baton_agent_instance_failures", "instances that ended FAILED");
    crashes = counter("baton_agent_instance_crashes", "healthy instances whose process exited on its own");
    restarts = counter("baton_agent_instance_restarts", "restarts scheduled after a crash");
    drainTimeouts = counter("baton_agent_drain_timeouts", "drains that ended at the timeout");
  }

  /** Vert.x options with Micrometer metrics exported for Prometheus scraping. */
  public static VertxOptions vertxOptions() {
    return new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  public void started() {
    starts.increment();
  }

  public void failed() {
    failures.increment();
  }

  public void crashed() {
    crashes.increment();
  }

  public void restarting() {
    restarts.increment();
  }

  public void drainTimedOut() {
    drainTimeouts.increment();
  }
}
