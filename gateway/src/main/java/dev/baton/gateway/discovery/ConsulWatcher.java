package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.consul.ConsulClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what routing depends on with a fixed number of Consul connections, whatever the number of apps
 * (docs/ARCHITECTURE.md, Gateway, "Watching Consul with a constant number of connections"): blocking queries on the
 * catalog (services tagged {@code baton}, with their tags), on {@code /v1/health/state/any} ({@link HealthState}:
 * which services' checks changed, or a node's), and on the KV prefixes {@code baton/routes/} and
 * {@code baton/apps/}; then {@link ServiceReads} reads every instance of each changed service ({@link HealthEntries}:
 * the passing ones are routed to, those on a failed node are reported to {@code onHostLost}). Every change yields a
 * complete {@link RouteInputs} to {@code onInputs}. A KV value that does not parse keeps the last valid value of its
 * key and is reported as a problem. Runs on one Vert.x context; all state here is confined to it.
 */
public final class ConsulWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ConsulWatcher.class);

  /** Service reads in flight at most: the connections they may hold. */
  static final int MAX_READS = 4;
  /** How long a catalog change may wait for the health state to account for it before every service is read. */
  static final long UNACCOUNTED_AFTER_MS = 1000;
  /**
   * Every service is read again this often: a change no check shows that came in the same catalog answer as a change
   * that named services (and so was taken as accounted for) is seen within this delay at worst.
   */
  static final long SWEEP_EVERY_MS = 5 * 60_000;

  private final Vertx vertx;
  private final ConsulAccess access;
  private final Backoff backoff;
  private final Consumer<RouteInputs> onInputs;
  private final Consumer<Set<String>> onHostLost;
  private final ConsulClient readClient;
  private final HttpClient stateHttp;
  private final ServiceReads reads;
  private final CatalogReader catalogReader;
  private final Map<String, List<String>> watched = new TreeMap<>();
  private final Map<String, List<InstanceInfo>> instances = new HashMap<>();
  private final KvState<RoutePolicy> routes = new KvState<>("route policy", ConsulKeys.ROUTES);
  private final KvState<AppSpec> apps = new KvState<>("app spec", ConsulKeys.APPS);
  private final List<BlockingQueryLoop<?>> fixedLoops = new ArrayList<>();
  private final long settleMs;
  private final OutageHold catalogHold;
  private final Map<String, OutageHold> healthHolds = new HashMap<>();
  private Map<String, List<String>> latestCatalog = Map.of();
  private HealthState state = HealthState.NONE;
  private final CatalogChanges catalogChanges = new CatalogChanges(UNACCOUNTED_AFTER_MS);
  private long catalogIndex;
  private boolean readsStarted;
  private long sweepTimer = -1;
  private long sweeps;
  private long sweepLoggedMs;
  private boolean started;

  /** {@code consul} must have been made from {@code access}, which explains its refusals. */
  public ConsulWatcher(Vertx vertx, ConsulClient consul, ConsulAccess access, KvReader kv, long waitSeconds,
                       Backoff backoff, Consumer<RouteInputs> onInputs) {
    this(vertx, consul, access, kv, waitSeconds, 0, backoff, onInputs, lost -> { });
  }

  /**
   * @param settleMs how long a read after a Consul outage may not empty a source that held something
   *                 ({@link OutageHold}); 0 applies every read at once
   * @param onHostLost takes the keys of instances whose node Consul marks failed, after the table without them
   *                   was handed to {@code onInputs} ({@link HealthEntries})
   */
  public ConsulWatcher(Vertx vertx, ConsulClient consul, ConsulAccess access, KvReader kv, long waitSeconds,
                       long settleMs, Backoff backoff, Consumer<RouteInputs> onInputs,
                       Consumer<Set<String>> onHostLost) {
    this.onHostLost = onHostLost;
    this.settleMs = settleMs;
    this.catalogHold = new OutageHold(settleMs);
    this.vertx = vertx;
    this.access = access;
    this.backoff = backoff;
    this.onInputs = onInputs;
    this.readClient = client(vertx, access, waitSeconds);
    this.stateHttp = vertx.createHttpClient(access.httpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
    this.reads = new ServiceReads(vertx, readClient, access, backoff, MAX_READS, this::healthRead);
    this.catalogReader = new CatalogReader(consul, readClient, access, waitSeconds);
    HealthStateReader stateReader = new HealthStateReader(vertx, stateHttp, access, waitSeconds);
    fixedLoops.add(new BlockingQueryLoop<>(vertx, "catalog", catalogReader::read, this::catalogRead, backoff));
    fixedLoops.add(new BlockingQueryLoop<>(vertx, "health state", stateReader::read, this::stateRead, backoff));
    fixedLoops.add(new BlockingQueryLoop<>(vertx, "kv " + ConsulKeys.ROUTES, i -> kv.read(ConsulKeys.ROUTES, i),
        (Consumer<Map<String, String>>) values -> changed(routes.update(values, KvState::parsePolicy)), backoff));
    fixedLoops.add(new BlockingQueryLoop<>(vertx, "kv " + ConsulKeys.APPS, i -> kv.read(ConsulKeys.APPS, i),
        (Consumer<Map<String, String>>) values -> changed(apps.update(values, KvState::parseSpec)), backoff));
  }

  /** A Consul client whose request timeout outlasts a blocking query of {@code waitSeconds} (by 15 s). */
  public static ConsulClient client(Vertx vertx, ConsulAccess access, long waitSeconds) {
    return ConsulClient.create(vertx, access.clientOptions().setTimeout((waitSeconds + 15) * 1000));
  }

  /**
   * Starts every loop; completes once each source was read once and, after the first answers of the catalog and of
   * the health state, every service of the catalog (reads that start after both, so no change falls between).
   */
  public Future<Void> start() {
    Future<Void> services = Future.all(fixedLoops.get(0).start(), fixedLoops.get(1).start()).compose(v -> {
      readsStarted = true;
      sweepTimer = vertx.setPeriodic(SWEEP_EVERY_MS, t -> sweep("periodic", false));
      return reads.request(watched.keySet(), false, true);
    });
    return Future.all(services, fixedLoops.get(2).start(), fixedLoops.get(3).start()).map(v -> {
      started = true;
      onInputs.accept(inputs());
      return null;
    });
  }

  public void stop() {
    vertx.cancelTimer(sweepTimer);
    fixedLoops.forEach(BlockingQueryLoop::stop);
    reads.stop();
    readClient.close();
    stateHttp.close();
  }

  /** Freshness of every source, for {@code /health}. */
  public List<SourceHealth> health() {
    List<SourceHealth> out = new ArrayList<>();
    fixedLoops.forEach(l -> out.add(l.health()));
    out.add(reads.health());
    return out;
  }

  /** Service reads done so far. */
  long serviceReads() {
    return reads.reads();
  }

  /**
   * A health state read: reads the services whose checks changed; every watched one when the checks do not tell
   * which (the index moved for a change without a check, see {@link HealthState#explains}) or after an outage.
   */
  private void stateRead(HealthState next, boolean afterOutage) {
    HealthState before = state;
    state = next;
    catalogChanges.stateRead(before, next);
    if (!readsStarted) {
      return;
    }
    Set<String> changed = HealthState.changed(before, next);
    changed.retainAll(watched.keySet());
    if (!changed.isEmpty()) {
      reads.request(changed, afterOutage, false);
    }
    if (!afterOutage) {
      HealthState.changedNodes(before, next).forEach(this::readServicesOnNode);
    }
    if (afterOutage || !HealthState.explains(before, next)) {
      sweep(afterOutage ? "after an outage" : "health state moved by no check", afterOutage);
    }
    judgeCatalogChanges();
  }

  /**
   * Reads the services of a node whose node check changed (a failed host): those without a check of their own do not
   * show in the health state, so the catalog names them. If it cannot, every service is read.
   */
  private void readServicesOnNode(String node) {
    catalogReader.servicesOn(node).onComplete(ar -> {
      if (ar.failed()) {
        sweep("services of node " + node + " unread", false);
        return;
      }
      Set<String> names = new TreeSet<>(ar.result());
      names.retainAll(watched.keySet());
      if (!names.isEmpty()) {
        reads.request(names, false, false);
      }
    });
  }

  /** Reads every service, after the reads a change named; logged at most once a minute, with the count since. */
  private void sweep(String why, boolean afterOutage) {
    sweeps++;
    long now = System.currentTimeMillis();
    if (now - sweepLoggedMs >= 60_000) {
      LOG.info("consul: reading all {} service(s) ({}; {} such sweep(s) since the last line)", watched.size(), why,
          sweeps);
      sweepLoggedMs = now;
      sweeps = 0;
    }
    reads.request(new ArrayList<>(watched.keySet()), afterOutage, true);
  }

  /** Reads every service when a catalog change turned out unaccounted for by the checks ({@link CatalogChanges}). */
  private void judgeCatalogChanges() {
    if (catalogChanges.unaccounted(state.index(), System.currentTimeMillis())) {
      sweep("catalog moved by no check", false);
    }
  }

  /** A catalog read: services that vanish on the first read after an outage are kept until it settles. */
  private void catalogRead(CatalogReader.Catalog catalog, boolean afterOutage) {
    Map<String, List<String>> services = catalog.services();
    latestCatalog = services;
    boolean first = catalogIndex == 0;
    catalogIndex = catalog.index();
    if (readsStarted && !first) {
      if (afterOutage) {
        sweep("catalog after an outage", true);
      } else if (services.equals(watched)) {
        catalogChanges.catalogMoved(catalog.index(), System.currentTimeMillis());
        vertx.setTimer(UNACCOUNTED_AFTER_MS + 1, t -> judgeCatalogChanges());
        judgeCatalogChanges();
      }
    }
    boolean loses = !services.keySet().containsAll(watched.keySet());
    boolean wasHolding = catalogHold.holding();
    if (catalogHold.decide(!watched.isEmpty(), loses, afterOutage, System.currentTimeMillis())
        == OutageHold.Verdict.HOLD) {
      if (!wasHolding) {
        LOG.warn("consul catalog: {} service(s) missing on the first read after an outage; keeping them for up to"
            + " {} ms while Consul settles", watched.keySet().stream().filter(n -> !services.containsKey(n))
            .count(), settleMs);
        whenSettled(catalogHold, () -> catalogRead(new CatalogReader.Catalog(latestCatalog, catalogIndex), false));
      }
      changed(syncServices(services, false));
      return;
    }
    changed(syncServices(services, true));
  }

  /** New services and services whose tags changed are read; with {@code remove}, services gone are dropped. */
  private boolean syncServices(Map<String, List<String>> services, boolean remove) {
    boolean changed = false;
    for (String name : List.copyOf(watched.keySet())) {
      if (remove && !services.containsKey(name)) {
        watched.remove(name);
        healthHolds.remove(name);
        reads.forget(name);
        changed |= instances.remove(name) != null;
      }
    }
    List<String> toRead = new ArrayList<>();
    services.forEach((name, tags) -> {
      List<String> before = watched.put(name, tags);
      if (before == null) {
        healthHolds.put(name, new OutageHold(settleMs));
      }
      if (!tags.equals(before)) {
        toRead.add(name);
      }
    });
    if (readsStarted && !toRead.isEmpty()) {
      reads.request(toRead, false, false);
    }
    return changed;
  }

  /**
   * A service's passing instances: an empty list on the first read after an outage is held until it settles. Once
   * applied, instances on a failed node are reported to {@code onHostLost} (after the table without them is in).
   */
  private void healthRead(String name, HealthEntries.Read read, boolean afterOutage) {
    healthRead(name, healthHolds.get(name), read, afterOutage);
  }

  private void healthRead(String name, OutageHold hold, HealthEntries.Read read, boolean afterOutage) {
    List<InstanceInfo> list = read.passing();
    if (hold == null || !watched.containsKey(name) || healthHolds.get(name) != hold) {
      return;
    }
    List<InstanceInfo> last = instances.getOrDefault(name, List.of());
    boolean wasHolding = hold.holding();
    if (hold.decide(!last.isEmpty(), list.isEmpty(), afterOutage, System.currentTimeMillis())
        == OutageHold.Verdict.HOLD) {
      if (!wasHolding) {
        LOG.warn("consul health {}: no passing instance on the first read after an outage; routing to the last {}"
            + " for up to {} ms while Consul settles", name, last.size(), settleMs);
        Set<String> lost = read.lostKeys(); // reported once the hold ends and the table drops them
        whenSettled(hold, () -> healthRead(name, hold, new HealthEntries.Read(List.of(), lost), false));
      }
      return;
    }
    if (wasHolding && !list.isEmpty()) {
      LOG.info("consul health {}: {} passing instance(s) again", name, list.size());
    }
    // Replaced, never edited, and kept when a read finds the same instances (a sweep reads every service): the
    // route holder then tells this app unchanged by reference (RouteInputs).
    boolean moved = !list.equals(instances.get(name));
    if (moved) {
      instances.put(name, List.copyOf(list));
    }
    changed(moved || !read.lostKeys().isEmpty());
    if (!read.lostKeys().isEmpty() && started) {
      onHostLost.accept(read.lostKeys());
    }
  }

  /** Runs {@code settle} at the hold's deadline if it is still holding then (a later good read may end it first). */
  private void whenSettled(OutageHold hold, Runnable settle) {
    long deadline = hold.deadlineMs();
    vertx.setTimer(Math.max(1, deadline - System.currentTimeMillis()), t -> {
      if (!hold.holding() || hold.deadlineMs() != deadline) {
        return;
      }
      if (System.currentTimeMillis() < deadline) {
        whenSettled(hold, settle);
      } else {
        settle.run();
      }
    });
  }

  private void changed(boolean changed) {
    if (changed && started) {
      onInputs.accept(inputs());
    }
  }

  RouteInputs inputs() {
    List<String> problems = new ArrayList<>(routes.problems.values());
    problems.addAll(apps.problems.values());
    return RouteInputs.byApp(apps.values, routes.values, instances, problems);
  }

}
