package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.consul.ServiceNames;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Names;
import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.BlockingQueryOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceQueryOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what routing depends on, each with its own {@link BlockingQueryLoop}: the catalog (services
 * tagged {@code baton}), every instance of each such service ({@link HealthEntries}: the passing ones are
 * routed to, those on a failed node are reported to {@code onHostLost}), and the KV prefixes
 * {@code baton/routes/} and {@code baton/apps/}. Every change yields a complete {@link RouteInputs} to
 * {@code onInputs}. A KV value that does not parse keeps the last valid value of its key and is reported
 * as a problem. Runs on one Vert.x context; all state here is confined to it.
 */
public final class ConsulWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ConsulWatcher.class);

  private final Vertx vertx;
  private final ConsulClient consul;
  private final ConsulAccess access;
  private final KvReader kv;
  private final String wait;
  private final Backoff backoff;
  private final Consumer<RouteInputs> onInputs;
  private final Consumer<Set<String>> onHostLost;
  private final Map<String, BlockingQueryLoop<HealthEntries.Read>> healthLoops = new TreeMap<>();
  private final Map<String, ConsulClient> healthClients = new HashMap<>();
  private final long waitSeconds;
  private final Map<String, List<InstanceInfo>> instances = new HashMap<>();
  private final KvState<RoutePolicy> routes = new KvState<>("route policy", ConsulKeys.ROUTES);
  private final KvState<AppSpec> apps = new KvState<>("app spec", ConsulKeys.APPS);
  private final List<BlockingQueryLoop<?>> fixedLoops = new ArrayList<>();
  private final long settleMs;
  private final OutageHold catalogHold;
  private final Map<String, OutageHold> healthHolds = new HashMap<>();
  private Set<String> latestCatalog = Set.of();
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
    this.consul = consul;
    this.access = access;
    this.kv = kv;
    this.wait = waitSeconds + "s";
    this.waitSeconds = waitSeconds;
    this.backoff = backoff;
    this.onInputs = onInputs;
  }

  /** A Consul client whose request timeout outlasts a blocking query of {@code waitSeconds} (by 15 s). */
  public static ConsulClient client(Vertx vertx, ConsulAccess access, long waitSeconds) {
    return ConsulClient.create(vertx, access.clientOptions().setTimeout((waitSeconds + 15) * 1000));
  }

  /** Starts every loop; completes once each source (and each service of the first catalog) was read once. */
  public Future<Void> start() {
    BlockingQueryLoop<Map<String, String>> routeLoop = new BlockingQueryLoop<>(vertx, "kv " + ConsulKeys.ROUTES,
        i -> kv.read(ConsulKeys.ROUTES, i), values -> changed(routes.update(values, this::parsePolicy)), backoff);
    BlockingQueryLoop<Map<String, String>> appLoop = new BlockingQueryLoop<>(vertx, "kv " + ConsulKeys.APPS,
        i -> kv.read(ConsulKeys.APPS, i), values -> changed(apps.update(values, this::parseSpec)), backoff);
    List<Future<Void>> firstReads = new ArrayList<>();
    BlockingQueryLoop<Set<String>> catalog = new BlockingQueryLoop<>(vertx, "catalog", this::readCatalog,
        (services, afterOutage) -> catalogRead(services, afterOutage, firstReads), backoff);
    fixedLoops.add(catalog);
    fixedLoops.add(routeLoop);
    fixedLoops.add(appLoop);
    Future<Void> catalogRead = catalog.start().compose(v -> Future.all(List.copyOf(firstReads)).mapEmpty());
    return Future.all(catalogRead, routeLoop.start(), appLoop.start()).map(v -> {
      started = true;
      onInputs.accept(inputs());
      return null;
    });
  }

  public void stop() {
    fixedLoops.forEach(BlockingQueryLoop::stop);
    healthLoops.values().forEach(BlockingQueryLoop::stop);
    healthClients.values().forEach(ConsulClient::close);
    healthClients.clear();
  }

  /** Freshness of every source, for {@code /health}. */
  public List<SourceHealth> health() {
    List<SourceHealth> out = new ArrayList<>();
    fixedLoops.forEach(l -> out.add(l.health()));
    healthLoops.values().forEach(l -> out.add(l.health()));
    return out;
  }

  private Future<BlockingQueryLoop.Result<Set<String>>> readCatalog(long index) {
    return consul.catalogServicesWithOptions(new BlockingQueryOptions().setIndex(index).setWait(wait)).map(list -> {
      Set<String> names = new TreeSet<>();
      if (list.getList() != null) {
        for (Service s : list.getList()) {
          if (s.getTags() != null && s.getTags().contains(ServiceNames.TAG_BATON) && Names.isApp(s.getName())) {
            names.add(s.getName());
          }
        }
      }
      return new BlockingQueryLoop.Result<>(names, list.getIndex());
    }).recover(e -> Future.failedFuture(access.explain(e)));
  }

  /**
   * Every entry of the service, not only passing ones: {@link HealthEntries} tells passing from a failed node. Each
   * service's blocking query runs on a client of its own: a Consul client's pool holds five connections, and one
   * shared by the catalog and every service held a sixth app's reads (and the gateway's own registration) back
   * for a whole wait, 30 s (docs/ARCHITECTURE.md, Gateway, "Watching Consul").
   */
  private Future<BlockingQueryLoop.Result<HealthEntries.Read>> readHealth(ConsulClient client, String service,
                                                                         long index) {
    ServiceQueryOptions options = new ServiceQueryOptions()
        .setBlockingOptions(new BlockingQueryOptions().setIndex(index).setWait(wait));
    return client.healthServiceNodesWithOptions(service, false, options)
        .map(list -> new BlockingQueryLoop.Result<>(HealthEntries.read(service, list.getList()), list.getIndex()))
        .recover(e -> Future.failedFuture(access.explain(e)));
  }

  /** A catalog read: services that vanish on the first read after an outage are kept until it settles. */
  private void catalogRead(Set<String> services, boolean afterOutage, List<Future<Void>> firstReads) {
    latestCatalog = services;
    boolean loses = !services.containsAll(healthLoops.keySet());
    boolean wasHolding = catalogHold.holding();
    if (catalogHold.decide(!healthLoops.isEmpty(), loses, afterOutage, System.currentTimeMillis())
        == OutageHold.Verdict.HOLD) {
      if (!wasHolding) {
        LOG.warn("consul catalog: {} service(s) missing on the first read after an outage; keeping them for up to"
            + " {} ms while Consul settles", healthLoops.size() - services.stream().filter(healthLoops::containsKey)
            .count(), settleMs);
        whenSettled(catalogHold, () -> catalogRead(latestCatalog, false, new ArrayList<>()));
      }
      changed(syncServices(services, firstReads, false));
      return;
    }
    changed(syncServices(services, firstReads, true));
  }

  private boolean syncServices(Set<String> services, List<Future<Void>> firstReads, boolean remove) {
    boolean changed = false;
    for (String name : List.copyOf(healthLoops.keySet())) {
      if (remove && !services.contains(name)) {
        healthLoops.remove(name).stop();
        healthClients.remove(name).close();
        healthHolds.remove(name);
        instances.remove(name);
        changed = true;
      }
    }
    for (String name : services) {
      if (!healthLoops.containsKey(name)) {
        OutageHold hold = new OutageHold(settleMs);
        ConsulClient client = client(vertx, access, waitSeconds);
        healthClients.put(name, client);
        BlockingQueryLoop<HealthEntries.Read> loop = new BlockingQueryLoop<>(vertx, "health " + name,
            i -> readHealth(client, name, i), (read, afterOutage) -> healthRead(name, hold, read, afterOutage), backoff);
        healthHolds.put(name, hold);
        healthLoops.put(name, loop);
        Future<Void> first = loop.start();
        if (!started) {
          firstReads.add(first);
        }
      }
    }
    return changed;
  }

  /**
   * A service's passing instances: an empty list on the first read after an outage is held until it settles. Once
   * applied, instances on a failed node are reported to {@code onHostLost} (after the table without them is in).
   */
  private void healthRead(String name, OutageHold hold, HealthEntries.Read read, boolean afterOutage) {
    List<InstanceInfo> list = read.passing();
    if (!healthLoops.containsKey(name) || healthHolds.get(name) != hold) {
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
    instances.put(name, list);
    changed(true);
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
    List<InstanceInfo> all = new ArrayList<>();
    instances.values().forEach(all::addAll);
    List<String> problems = new ArrayList<>(routes.problems.values());
    problems.addAll(apps.problems.values());
    return new RouteInputs(apps.values, routes.values, all, problems);
  }

  private RoutePolicy parsePolicy(String key, String value) {
    RoutePolicy p = RoutePolicy.fromJson(new JsonObject(value));
    if (!p.app().equals(ConsulKeys.lastSegment(key))) {
      throw new IllegalArgumentException("its app is '" + p.app() + "' but the key names '"
          + ConsulKeys.lastSegment(key) + "'");
    }
    return p;
  }

  private AppSpec parseSpec(String key, String value) {
    return AppSpec.fromJson(ConsulKeys.lastSegment(key), new JsonObject(value));
  }

  /** The last valid value of each key under one prefix, plus the problem of each key that does not parse. */
  private static final class KvState<T> {
    final String what;
    final String prefix;
    Map<String, T> values = Map.of();
    final Map<String, String> problems = new LinkedHashMap<>();

    KvState(String what, String prefix) {
      this.what = what;
      this.prefix = prefix;
    }

    boolean update(Map<String, String> raw, java.util.function.BiFunction<String, String, T> parse) {
      Map<String, T> next = new TreeMap<>();
      problems.clear();
      raw.forEach((key, value) -> {
        String app = ConsulKeys.lastSegment(key);
        if (!key.equals(prefix + app) || app.isEmpty()) {
          return;
        }
        try {
          next.put(app, parse.apply(key, value));
        } catch (RuntimeException e) {
          T last = values.get(app);
          if (last != null) {
            next.put(app, last);
          }
          String msg = key + ": invalid " + what + " (" + e.getMessage() + ")"
              + (last != null ? "; keeping the last valid one" : "; ignored");
          problems.put(key, msg);
          LOG.warn(msg);
        }
      });
      boolean changed = !next.equals(values);
      values = Map.copyOf(next);
      return changed || !problems.isEmpty();
    }
  }
}
