package dev.baton.agent.port;

import dev.baton.common.config.PortRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hands out instance ports: a port is reserved from the moment it is claimed until {@link #release} (the
 * instance is gone), and it is claimed only after a bind probe proved nothing else on the host listens on it.
 * Used only on the agent's event loop; probes run in {@code executeBlocking}.
 */
public final class PortAllocator {

  private static final int MAX_PROBES = 64;

  private final Vertx vertx;
  private final PortRange range;
  private final Set<Integer> reserved = new HashSet<>();
  private int last;

  public PortAllocator(Vertx vertx, PortRange range) {
    this.vertx = vertx;
    this.range = range;
    this.last = range.last();
  }

  /** Claims {@code requested}, or a free port of the range when it is null. */
  public Future<Integer> claim(Integer requested) {
    if (requested != null) {
      var rejection = PortPicker.rejectRequested(requested, range, reserved);
      if (rejection != null) {
        return Future.failedFuture(rejection);
      }
      reserved.add(requested);
      return vertx.executeBlocking(() -> isFree(requested), false).compose(free -> {
        if (!free) {
          reserved.remove(requested);
          return Future.failedFuture(PortPicker.busy(requested));
        }
        return Future.succeededFuture(requested);
      });
    }
    List<Integer> candidates = PortPicker.candidates(range, reserved, last);
    if (candidates.isEmpty()) {
      return Future.failedFuture(PortPicker.exhausted(range));
    }
    return probe(candidates.subList(0, Math.min(MAX_PROBES, candidates.size())), 0);
  }

  /**
   * Reserves and probes one candidate at a time, so concurrent claims on a small range each get a port:
   * a claim only ever holds the port it is probing, and skips ports another claim reserved meanwhile.
   */
  private Future<Integer> probe(List<Integer> candidates, int index) {
    if (index >= candidates.size()) {
      return Future.failedFuture(PortPicker.exhausted(range));
    }
    int port = candidates.get(index);
    if (!reserved.add(port)) {
      return probe(candidates, index + 1);
    }
    return vertx.executeBlocking(() -> isFree(port), false).compose(free -> {
      if (!free) {
        reserved.remove(port);
        return probe(candidates, index + 1);
      }
      last = port;
      return Future.succeededFuture(port);
    });
  }

  /** Marks a port as held by an instance found running at start-up. */
  public void adopt(int port) {
    reserved.add(port);
  }

  public void release(int port) {
    reserved.remove(port);
  }

  public Set<Integer> reserved() {
    return Set.copyOf(reserved);
  }

  /**
   * True when an app could listen on {@code port}. SO_REUSEADDR is on, as in the Netty/Vert.x servers
   * apps run: a port whose previous instance left connections in TIME_WAIT is free for them, and an
   * in-place release can restart the new version on the same port at once.
   */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
