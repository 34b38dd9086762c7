package dev.baton.gateway;

import dev.baton.common.bus.RoutesApplied;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Announces each route revision this gateway applied ({@code baton.gateway.routes.applied}) at once, then again after
 * each of {@code repeatsMs}, unless a newer revision of the app was announced meanwhile. A clustered publish reaches
 * only the consumers this member knows of at that moment. A gateway that has just joined the cluster, or a registry
 * that has just joined it, may not see the other side's consumer for a while, and an ack published then is lost. The
 * registry would then wait its route-ack timeout for a gateway that did apply the revision (docs/ARCHITECTURE.md,
 * "Control-plane latency"). The registry keeps the highest revision per gateway and app, so a repeated ack changes
 * nothing there.
 */
final class AppliedAnnouncer {

  /** When an ack is repeated, in ms after the first: soon, then once more after a cluster view has settled. */
  static final long[] REPEATS_MS = {1_000, 5_000};

  private final Vertx vertx;
  private final String gateway;
  private final Consumer<RoutesApplied> publish;
  private final long[] repeatsMs;
  private final Map<String, Long> latest = new ConcurrentHashMap<>();

  AppliedAnnouncer(Vertx vertx, String gateway, Consumer<RoutesApplied> publish, long... repeatsMs) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.publish = publish;
    this.repeatsMs = repeatsMs.clone();
  }

  void applied(String app, long revision) {
    latest.merge(app, revision, Math::max);
    RoutesApplied ack = new RoutesApplied(gateway, app, revision);
    publish.accept(ack);
    for (long delay : repeatsMs) {
      vertx.setTimer(delay, t -> {
        if (latest.getOrDefault(app, 0L) == revision) {
          publish.accept(ack);
        }
      });
    }
  }
}
