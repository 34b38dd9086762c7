package dev.baton.gateway.metrics;

import dev.baton.gateway.routing.UpstreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one instance, resolved when the instance enters the table so that recording a request is
 * a handful of adder increments: no tag arrays, maps or strings per request.
 */
final class InstanceMeters implements UpstreamObserver {

  private final Counter[] byClass;
  private final Counter connectFailures;
  private final Timer latency;
  private final VersionWindow window;
  private final List<Meter> meters;

  InstanceMeters(Counter[] byClass, Counter connectFailures, Timer latency, VersionWindow window, List<Meter> meters) {
    this.byClass = byClass;
    this.connectFailures = connectFailures;
    this.latency = latency;
    this.window = window;
    this.meters = meters;
  }

  @Override
  public void completed(int status, long nanos) {
    int cls = status / 100;
    byClass[cls >= 1 && cls <= 5 ? cls : 0].increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
    window.completed(status, nanos);
  }

  @Override
  public void connectFailed() {
    connectFailures.increment();
    window.connectFailed();
  }

  List<Meter> meters() {
    return meters;
  }
}
