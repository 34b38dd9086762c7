package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceQueryOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking reads of {@code /v1/health/service/<name>} for the services {@link HealthState} says changed, at
 * most {@code maxInFlight} at a time on one client, so the connections they take stay fixed whatever the number of
 * apps (docs/ARCHITECTURE.md, Gateway, "Watching Consul with a constant number of connections"). Requests coalesce:
 * a service queued twice is read once, and one asked for while its read is in flight is read once more after it,
 * so the last read always started after the last request. A failed read is retried after the {@link Backoff}; its
 * next good read is handed over as {@code afterOutage}. Runs on one Vert.x context.
 */
final class ServiceReads {

  /** Takes a service's entries; {@code afterOutage} when a read of it failed since the last one handed over. */
  interface Listener {
    void read(String service, HealthEntries.Read read, boolean afterOutage);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServiceReads.class);

  private final Vertx vertx;
  private final ConsulClient client;
  private final ConsulAccess access;
  private final Backoff backoff;
  private final int maxInFlight;
  private final Listener listener;
  private final SourceHealth health = new SourceHealth("health of changed services");
  private final LinkedHashSet<String> queued = new LinkedHashSet<>();
  private final LinkedHashSet<String> sweep = new LinkedHashSet<>();
  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final Set<String> afterOutage = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, List<Promise<Void>>> waiters = new HashMap<>();
  private long reads;
  private boolean stopped;

  ServiceReads(Vertx vertx, ConsulClient client, ConsulAccess access, Backoff backoff, int maxInFlight,
               Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.access = access;
    this.backoff = backoff;
    this.maxInFlight = maxInFlight;
    this.listener = listener;
  }

  /**
   * Reads each service (again); the future completes once each was read by a read that started after this call.
   * A {@code sweep} (every service, when no check tells which changed) goes after the services named by a change, so
   * a change that follows a sweep is not queued behind hundreds of reads.
   */
  Future<Void> request(Collection<String> services, boolean outage, boolean sweeping) {
    List<Future<Void>> done = new ArrayList<>();
    for (String s : services) {
      if (outage) {
        afterOutage.add(s);
      }
      if (inFlight.contains(s)) {
        again.add(s);
      } else if (!sweeping) {
        sweep.remove(s);
        queued.add(s);
      } else if (!queued.contains(s)) {
        sweep.add(s);
      }
      Promise<Void> p = Promise.promise();
      waiters.computeIfAbsent(s, k -> new ArrayList<>()).add(p);
      done.add(p.future());
    }
    pump();
    return Future.all(done).mapEmpty();
  }

  /** Stops reading a service that left the catalog; whoever waits for it is told it was read. */
  void forget(String service) {
    queued.remove(service);
    sweep.remove(service);
    again.remove(service);
    afterOutage.remove(service);
    failures.remove(service);
    List<Promise<Void>> w = waiters.remove(service);
    if (w != null) {
      w.forEach(Promise::tryComplete);
    }
  }

  void stop() {
    stopped = true;
  }

  SourceHealth health() {
    return health;
  }

  /** Reads done so far (for tests and logs). */
  long reads() {
    return reads;
  }

  private void pump() {
    while (!stopped && inFlight.size() < maxInFlight && !(queued.isEmpty() && sweep.isEmpty())) {
      Iterator<String> it = queued.isEmpty() ? sweep.iterator() : queued.iterator();
      String service = it.next();
      it.remove();
      inFlight.add(service);
      read(service);
    }
  }

  private void read(String service) {
    reads++;
    client.healthServiceNodesWithOptions(service, false, new ServiceQueryOptions())
        .map(list -> HealthEntries.read(service, list.getList()))
        .recover(e -> Future.failedFuture(access.explain(e)))
        .onComplete(ar -> {
          inFlight.remove(service);
          if (stopped) {
            return;
          }
          if (ar.succeeded()) {
            succeeded(service, ar.result());
          } else {
            failed(service, ar.cause());
          }
          // Not pump() here: the client takes this connection back after this callback (BlockingQueryLoop).
          vertx.runOnContext(v -> pump());
        });
  }

  private void succeeded(String service, HealthEntries.Read read) {
    boolean wasStale = health.stale();
    health.succeeded(System.currentTimeMillis());
    if (wasStale) {
      LOG.info("consul {}: reachable again", health.name());
    }
    failures.remove(service);
    boolean outage = afterOutage.remove(service);
    boolean rereading = again.remove(service);
    if (rereading) {
      queued.add(service);
    }
    try {
      listener.read(service, read, outage);
    } catch (RuntimeException e) {
      LOG.error("consul health {}: applying a change failed", service, e);
    }
    if (!rereading) {
      List<Promise<Void>> w = waiters.remove(service);
      if (w != null) {
        w.forEach(Promise::tryComplete);
      }
    }
  }

  private void failed(String service, Throwable cause) {
    int n = failures.merge(service, 1, Integer::sum);
    int all = health.failed(System.currentTimeMillis(), cause);
    if (all == 1) {
      LOG.warn("consul health {}: read failed, keeping the last good view and retrying: {}", service, cause.toString());
    }
    afterOutage.add(service);
    again.remove(service);
    vertx.setTimer(backoff.delayMs(n, ThreadLocalRandom.current()), t -> {
      if (!stopped && failures.containsKey(service)) { // forget() ends the retries of a service that left
        queued.add(service);
        pump();
      }
    });
  }
}
