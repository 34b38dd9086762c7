package dev.baton.agent.port;

import dev.baton.common.http.ApiException;
import dev.baton.common.config.PortRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pure port choice. A requested port must lie in the agent's range and not be held by another instance;
 * otherwise the candidates are the free ports of the range, round robin after the last one handed out, so a
 * port just released is the last to be reused (gateways may still remember it for a moment).
 */
public final class PortPicker {

  private PortPicker() {
  }

  /** Why {@code port} cannot be used, as the caller's error; null when it may be probed. */
  public static ApiException rejectRequested(int port, PortRange range, Set<Integer> taken) {
    if (!range.contains(port)) {
      return new ApiException(400, "port_out_of_range", "port " + port + " is outside this agent's range "
          + range + "; pick one inside it or leave port out to get a free one.");
    }
    if (taken.contains(port)) {
      return busy(port);
    }
    return null;
  }

  public static ApiException busy(int port) {
    return new ApiException(409, "port_in_use", "port " + port
        + " is already in use on this host; pick another or leave port out to get a free one.");
  }

  public static ApiException exhausted(PortRange range) {
    return new ApiException(503, "no_free_port", "every port of " + range
        + " is in use; stop an instance or widen BATON_PORT_RANGE.");
  }

  /** The ports of {@code range} not in {@code taken}, starting right after {@code last}, wrapping around. */
  public static List<Integer> candidates(PortRange range, Set<Integer> taken, int last) {
    List<Integer> out = new ArrayList<>();
    int start = range.contains(last) ? last - range.first() + 1 : 0;
    for (int i = 0; i < range.size(); i++) {
      int port = range.first() + (start + i) % range.size();
      if (!taken.contains(port)) {
        out.add(port);
      }
    }
    return out;
  }
}
