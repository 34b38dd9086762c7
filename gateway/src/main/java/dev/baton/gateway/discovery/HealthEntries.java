package dev.baton.gateway.discovery;

import dev.baton.common.consul.ServiceNames;
import dev.baton.common.model.Names;
import dev.baton.gateway.routing.InstanceInfo;
import io.vertx.ext.consul.Check;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads every entry of a service's health (not only the passing ones): the instances to route to, and the
 * instances whose <em>node</em> failed (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host"). An instance
 * is routable when every one of its checks passes, exactly what Consul's {@code ?passing} filter returns. Its node
 * failed when the node's {@code serfHealth} check is critical: Consul's gossip no longer reaches that host, but the
 * catalog keeps the instance. A drained instance is deregistered by its agent instead, so it is simply absent and
 * never counted as lost. Pure.
 */
public final class HealthEntries {

  /** The check Consul runs for every node: critical when gossip declares the node failed. */
  static final String SERF_HEALTH = "serfHealth";

  /** A read: the passing instances, and the {@link InstanceInfo#key() keys} of instances on a failed node. */
  public record Read(List<InstanceInfo> passing, Set<String> lostKeys) {
    public Read {
      passing = List.copyOf(passing);
      lostKeys = Set.copyOf(lostKeys);
    }
  }

  private HealthEntries() {
  }

  public static Read read(String service, List<ServiceEntry> entries) {
    List<InstanceInfo> passing = new ArrayList<>();
    Set<String> lost = new TreeSet<>();
    if (entries != null) {
      for (ServiceEntry e : entries) {
        InstanceInfo info = instance(service, e);
        if (info == null) {
          continue;
        }
        if (allPassing(e.getChecks())) {
          passing.add(info);
        } else if (nodeFailed(e.getChecks())) {
          lost.add(info.key());
        }
      }
    }
    return new Read(passing, lost);
  }

  /** What {@code ?passing} keeps: no check in any state but passing (an entry without checks passes). */
  static boolean allPassing(List<Check> checks) {
    if (checks != null) {
      for (Check c : checks) {
        if (c.getStatus() != CheckStatus.PASSING) {
          return false;
        }
      }
    }
    return true;
  }

  /** The node's own {@code serfHealth} check (not a service's) is critical. */
  static boolean nodeFailed(List<Check> checks) {
    if (checks != null) {
      for (Check c : checks) {
        boolean nodeCheck = c.getServiceId() == null || c.getServiceId().isEmpty();
        if (nodeCheck && SERF_HEALTH.equals(c.getId()) && c.getStatus() == CheckStatus.CRITICAL) {
          return true;
        }
      }
    }
    return false;
  }

  /** The routing view of one entry, or null when it is not a baton instance with a version and an address. */
  static InstanceInfo instance(String service, ServiceEntry e) {
    Service s = e.getService();
    if (s == null || s.getTags() == null || !s.getTags().contains(ServiceNames.TAG_BATON)) {
      return null;
    }
    String version = ServiceNames.versionOf(s.getTags()).orElse(null);
    if (!Names.isVersion(version) || s.getPort() <= 0) {
      return null;
    }
    String host = s.getAddress();
    if (host == null || host.isBlank()) {
      host = e.getNode() == null ? null : e.getNode().getAddress();
    }
    if (host == null || host.isBlank()) {
      return null;
    }
    return new InstanceInfo(s.getId(), service, version, host, s.getPort());
  }
}
