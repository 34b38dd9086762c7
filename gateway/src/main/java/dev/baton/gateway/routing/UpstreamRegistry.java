package dev.baton.gateway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps one {@link Upstream} per instance key across table rebuilds, so in-flight counts, ejection and
 * drain marks survive a policy change. Entries leave when their instance leaves the table; requests
 * still holding a dropped entry finish against it, and until they have, the entry stays findable by
 * {@link #matching} (retired), so a drain that arrives after the table update still waits for them.
 */
public final class UpstreamRegistry {

  private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
  private final Set<Upstream> retired = ConcurrentHashMap.newKeySet();
  private final Function<InstanceInfo, Upstream> factory;

  public UpstreamRegistry(Function<InstanceInfo, Upstream> factory) {
    this.factory = factory;
  }

  public Upstream get(String key) {
    return upstreams.get(key);
  }

  public Upstream obtain(InstanceInfo info) {
    return upstreams.computeIfAbsent(info.key(), k -> factory.apply(info));
  }

  /** Drops every entry whose key is not in {@code live}; returns the dropped ones. */
  public List<Upstream> retainOnly(Set<String> live) {
    List<Upstream> dropped = new ArrayList<>();
    upstreams.entrySet().removeIf(e -> {
      if (!live.contains(e.getKey())) {
        dropped.add(e.getValue());
        e.getValue().markDraining();
        return true;
      }
      return false;
    });
    retired.removeIf(u -> u.inFlight() == 0);
    dropped.stream().filter(u -> u.inFlight() > 0).forEach(retired::add);
    return dropped;
  }

  /** Entries matching a drain request: by instance ID, or by host and port when given. */
  public List<Upstream> matching(String instanceId, String host, int port) {
    List<Upstream> out = new ArrayList<>();
    retired.removeIf(u -> u.inFlight() == 0);
    List<Upstream> candidates = new ArrayList<>(upstreams.values());
    candidates.addAll(retired);
    for (Upstream u : candidates) {
      InstanceInfo i = u.info();
      boolean byId = instanceId != null && instanceId.equals(i.id());
      boolean byAddress = host != null && port > 0 && host.equals(i.host()) && port == i.port();
      if (byId || byAddress) {
        out.add(u);
      }
    }
    return out;
  }

  /**
   * The entries, in the table or retired, of instances whose node Consul marks failed: each stops being picked
   * ({@link Upstream#hostLost()}). Returns them as a set, which each event loop asks of every request waiting on it.
   */
  public Set<Upstream> hostLost(Set<String> keys) {
    Set<Upstream> lost = new HashSet<>();
    List<Upstream> candidates = new ArrayList<>(upstreams.values());
    candidates.addAll(retired);
    for (Upstream u : candidates) {
      if (keys.contains(u.info().key())) {
        u.hostLost();
        lost.add(u);
      }
    }
    return Set.copyOf(lost); // read by every event loop
  }

  public List<Upstream> all() {
    return List.copyOf(upstreams.values());
  }
}
