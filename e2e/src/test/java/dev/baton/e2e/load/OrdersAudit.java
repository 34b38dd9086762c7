package dev.baton.e2e.load;

import dev.baton.testsupport.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads what each app instance recorded: every {@value #POLL_MS} ms it lists the instances of every agent
 * and fetches {@code GET /orders} from each one directly (not through the gateway). An instance that is
 * {@code DRAINING} is read on every round ({@value #DRAIN_POLL_MS} ms) until it refuses connections, so its
 * last snapshot comes after its last order. Sample-app keeps orders in memory, so an instance killed with
 * SIGKILL takes the orders it took after its last snapshot with it; {@link Verdict#unexplained} tells those
 * apart from real losses.
 */
public final class OrdersAudit implements AutoCloseable {

  private static final long POLL_MS = 500;
  private static final long DRAIN_POLL_MS = 25;
  private static final Set<String> RUNNING = Set.of("HEALTHY", "DRAINING", "STARTING");

  /** The last snapshot of one instance. */
  private static final class Seen {
    volatile Map<String, Integer> keys = Map.of();
    volatile long lastPollNanos;
    volatile boolean gone;
  }

  /** What the instances recorded for one tag, checked against what the clients were told. */
  public record Verdict(int acked, int seen, List<String> duplicated, List<String> phantom, List<String> unseen,
                        List<String> unexplained) {
  }

  private final List<Http> agents;
  private final Map<Http, String> hostOf;
  private final Map<String, String> instanceHost = new ConcurrentHashMap<>();
  private final Map<String, Http> instanceAgent = new ConcurrentHashMap<>();
  private final Map<String, Seen> instances = new ConcurrentHashMap<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private OrdersAudit(List<Http> agents, Map<Http, String> hostOf) {
    this.agents = agents;
    this.hostOf = hostOf;
    // One reader per agent: a host that is down or cut off stalls only the reading of its own instances, not the
    // DRAINING polls of the others' (a stalled round would miss their last orders).
    for (Http agent : agents) {
      Thread t = new Thread(() -> loop(agent), "orders-audit-" + threads.size());
      t.setDaemon(true);
      threads.add(t);
    }
  }

  public static OrdersAudit start(List<Http> agents) {
    return startOnHosts(agents.stream().collect(java.util.stream.Collectors.toMap(a -> a, a -> "127.0.0.1",
        (a, b) -> a, java.util.LinkedHashMap::new)));
  }

  /** An audit of agents on several hosts: each agent's instances are read at the address given with it. */
  public static OrdersAudit startOnHosts(Map<Http, String> agentsAndHosts) {
    OrdersAudit audit = new OrdersAudit(List.copyOf(agentsAndHosts.keySet()), Map.copyOf(agentsAndHosts));
    audit.threads.forEach(Thread::start);
    return audit;
  }

  private void loop(Http agent) {
    long lastFull = 0;
    while (running) {
      boolean full = System.nanoTime() - lastFull > POLL_MS * 1_000_000;
      if (full) {
        lastFull = System.nanoTime();
      }
      try {
        for (Object o : agent.get("/v1/instances").array()) {
          JsonObject i = (JsonObject) o;
          String id = i.getString("id");
          String state = i.getString("state");
          ports.put(id, i.getInteger("port"));
          instanceHost.put(id, hostOf.get(agent));
          instanceAgent.put(id, agent);
          if ("DRAINING".equals(state) || (full && "HEALTHY".equals(state))) {
            poll(id);
          } else if (!RUNNING.contains(state)) {
            stopped(id);
          }
        }
      } catch (RuntimeException e) {
        // an agent that does not answer this round is asked again next round
      }
      LockSupport.parkNanos(DRAIN_POLL_MS * 1_000_000);
    }
  }

  private void poll(String id) {
    Seen seen = instances.computeIfAbsent(id, k -> new Seen());
    try {
      Http.Response r = new Http("http://" + instanceHost.getOrDefault(id, "127.0.0.1") + ":" + ports.get(id))
          .get("/orders");
      if (r.status() == 200) {
        Map<String, Integer> keys = new TreeMap<>();
        r.json().getJsonObject("keys").forEach(e -> keys.put(e.getKey(), ((Number) e.getValue()).intValue()));
        if (!keys.keySet().containsAll(seen.keys.keySet())) {
          // Restarted in place (same id and port) since the last read: the old process and its orders are gone.
          Seen before = new Seen();
          before.keys = seen.keys;
          before.lastPollNanos = seen.lastPollNanos;
          before.gone = true;
          instances.put(id + "#" + System.nanoTime(), before);
        }
        seen.keys = keys;
        seen.lastPollNanos = System.nanoTime();
      }
    } catch (RuntimeException e) {
      seen.gone = true; // refused: the instance is stopping or gone, its last snapshot stands
    }
  }

  /**
   * An instance its agent lists as stopped (or no longer lists) can no longer be read: its last snapshot stands,
   * and orders it acknowledged after that snapshot (in flight while it drained, between two polls) cannot be told
   * from lost ones, as for an instance killed with its host.
   */
  private void stopped(String id) {
    Seen seen = instances.get(id);
    if (seen != null) {
      seen.gone = true;
    }
  }

  /**
   * Takes one more snapshot of every instance still running (call before judging). An instance the audit has
   * read that its agent, answering, no longer runs is gone ({@link #stopped}).
   */
  public void settle() {
    for (Http agent : agents) {
      JsonArray list;
      try {
        list = agent.get("/v1/instances").array();
      } catch (RuntimeException e) {
        continue; // a host that is down: its instances' last snapshots stand
      }
      Set<String> running = new java.util.HashSet<>();
      for (Object o : list) {
        JsonObject i = (JsonObject) o;
        ports.put(i.getString("id"), i.getInteger("port"));
        instanceHost.put(i.getString("id"), hostOf.get(agent));
        instanceAgent.put(i.getString("id"), agent);
        if (RUNNING.contains(i.getString("state"))) {
          running.add(i.getString("id"));
          poll(i.getString("id"));
        }
      }
      instanceAgent.forEach((id, a) -> {
        if (a.equals(agent) && !running.contains(id)) {
          stopped(id);
        }
      });
    }
  }

  /**
   * Every instance read at {@code host} is gone with it (a fleet host killed): their last snapshots stand, and
   * orders acknowledged after them are not counted as lost by {@link Verdict#unexplained}.
   */
  public void hostGone(String host) {
    instanceHost.forEach((id, h) -> {
      if (host.equals(h)) {
        instances.computeIfAbsent(id, k -> new Seen()).gone = true;
      }
    });
  }

  /**
   * Compares the instances' records of keys starting with {@code tag} with the POST samples: duplicated
   * (a key counted twice, or on two instances), phantom (recorded although the client never got a 201),
   * unseen (acknowledged but in no snapshot), and unexplained (unseen although it was acknowledged before the
   * last snapshot of every instance that has gone since).
   */
  public Verdict verdict(String tag, List<Sample> samples) {
    Map<String, Sample> acked = new TreeMap<>();
    samples.stream().filter(s -> s.kind() == Sample.Kind.POST && s.status() == 201).forEach(s -> acked.put(s.key(), s));
    Map<String, List<String>> where = new TreeMap<>();
    List<String> duplicated = new ArrayList<>();
    instances.forEach((id, seen) -> seen.keys.forEach((key, count) -> {
      if (key.startsWith(tag + "-")) {
        where.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
        if (count > 1) {
          duplicated.add(key + " x" + count + " on " + id);
        }
      }
    }));
    where.forEach((key, ids) -> {
      if (ids.size() > 1) {
        duplicated.add(key + " on " + ids);
      }
    });
    List<String> phantom = where.keySet().stream().filter(k -> !acked.containsKey(k)).toList();
    List<String> unseen = acked.keySet().stream().filter(k -> !where.containsKey(k)).toList();
    long earliestGoneSnapshot = instances.values().stream().filter(s -> s.gone).mapToLong(s -> s.lastPollNanos)
        .min().orElse(Long.MAX_VALUE);
    List<String> unexplained = unseen.stream().filter(k -> acked.get(k).doneNanos() < earliestGoneSnapshot).toList();
    return new Verdict(acked.size(), where.size(), duplicated, phantom, unseen, unexplained);
  }

  /** Ids of the instances the audit has read so far. */
  public Set<String> instanceIds() {
    return Set.copyOf(instances.keySet());
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
