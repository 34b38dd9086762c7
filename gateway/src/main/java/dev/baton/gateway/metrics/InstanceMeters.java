package dev.baton.gateway.metrics;

import dev.baton.gateway.routing.UpstreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Prometheus meters of one instance, registered on its first request (docs/ARCHITECTURE.md, "Gateway memory"):
 * an instance that never takes a request costs this object and no meter. Once registered, recording a request is a
 * volatile read and a handful of adder increments: no tag arrays, maps or strings per request. {@link #close()}
 * (the instance left the table) removes the meters from the registry, and a request that completes after it still
 * counts in its version window but registers nothing again, so a removed instance leaves no series behind.
 */
final class InstanceMeters implements UpstreamObserver {

  /** The nine meters of an instance, as {@link GatewayMetrics} registers them. */
  record Meters(Counter[] byClass, Counter connectFailures, Timer latency, List<Meter> all) {
  }

  private final MeterRegistry registry;
  private final Function<MeterRegistry, Meters> register;
  private final VersionWindow window;
  private volatile Meters meters;
  private boolean closed; // guarded by this

  InstanceMeters(MeterRegistry registry, Function<MeterRegistry, Meters> register, VersionWindow window) {
    this.registry = registry;
    this.register = register;
    this.window = window;
  }

  @Override
  public void started() {
    meters();
  }

  @Override
  public void completed(int status, long nanos) {
    Meters m = meters();
    if (m != null) {
      int cls = status / 100;
      m.byClass()[cls >= 1 && cls <= 5 ? cls : 0].increment();
      m.latency().record(nanos, TimeUnit.NANOSECONDS);
    }
    window.completed(status, nanos);
  }

  @Override
  public void connectFailed() {
    Meters m = meters();
    if (m != null) {
      m.connectFailures().increment();
    }
    window.connectFailed();
  }

  /** Whether the instance's meters are registered (it took a request and has not left the table). */
  boolean registered() {
    return meters != null;
  }

  /** The instance left the table: its meters leave the registry, and none are registered for it again. */
  synchronized void close() {
    closed = true;
    Meters m = meters;
    meters = null;
    if (m != null) {
      m.all().forEach(registry::remove);
    }
  }

  /** The meters, registered by the first caller; null once closed. */
  private Meters meters() {
    Meters m = meters;
    return m != null ? m : register();
  }

  private synchronized Meters register() {
    if (meters == null && !closed) {
      meters = register.apply(registry);
    }
    return meters;
  }
}
