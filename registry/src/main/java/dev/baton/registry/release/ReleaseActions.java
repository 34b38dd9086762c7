package dev.baton.registry.release;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.ArtifactRef;
import dev.baton.common.model.Instance;
import dev.baton.common.model.Release;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.StartInstanceRequest;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Everything the {@link ReleaseController} does to the world, and nothing more: read and check-and-set
 * releases, look at an app, command agents, write routes, publish events. The real implementation
 * talks to Consul and the event bus; tests use a counting fake.
 */
public interface ReleaseActions {

  Future<Optional<Versioned<Release>>> load(String releaseId);

  /** Check-and-set; fails with {@code ConflictException} when the release changed since {@code current}. */
  Future<Versioned<Release>> save(Versioned<Release> current, Release next);

  /** The app's spec; fails when the app no longer exists. */
  Future<AppSpec> spec(String app);

  Future<Observed> observe(AppSpec spec);

  Future<ArtifactRef> artifact(String app, String version);

  /** Starts an instance; succeeds once it is healthy and registered, fails with the agent's reason. */
  Future<Instance> start(String agentId, StartInstanceRequest request);

  /** Drains and stops an instance; succeeds once it has stopped. */
  Future<Void> stop(String agentId, String instanceId);

  /** Writes the policy (revision = previous + 1) and waits for live gateways to apply it. */
  Future<RouteWrite> writeRoute(RoutePolicy policy);

  void publish(BatonEvent event);

  /** A route written, and a note when not every live gateway acknowledged it (null when all did). */
  record RouteWrite(RoutePolicy written, String note) {
  }
}
