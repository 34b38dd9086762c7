package dev.baton.gateway.discovery;

import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.RouteTable;
import dev.baton.gateway.routing.RouteTableBuilder;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamRegistry;
import dev.baton.gateway.routing.VersionRoute;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the route table in force: builds a new one from each {@link RouteInputs}, swaps it in with one
 * volatile write, drops the runtime state of instances that left, and reports each app whose policy
 * revision the new table applies.
 */
public final class RouteHolder implements RouteSource {

  private static final Logger LOG = LoggerFactory.getLogger(RouteHolder.class);

  private final UpstreamRegistry upstreams;
  private final String defaultApp;
  private final ObjLongConsumer<String> revisionApplied;
  private final Consumer<List<Upstream>> dropped;
  private volatile RouteTable table = RouteTable.EMPTY;
  private volatile boolean ready;

  public RouteHolder(UpstreamRegistry upstreams, String defaultApp, ObjLongConsumer<String> revisionApplied,
                     Consumer<List<Upstream>> dropped) {
    this.upstreams = upstreams;
    this.defaultApp = defaultApp;
    this.revisionApplied = revisionApplied;
    this.dropped = dropped;
  }

  @Override
  public RouteTable table() {
    return table;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  /** Builds and swaps in the table for {@code inputs}; called on the discovery context only. */
  public synchronized RouteTable apply(RouteInputs inputs) {
    RouteTable previous = table;
    boolean first = !ready;
    RouteTable next = RouteTableBuilder.build(inputs, upstreams::obtain, defaultApp, System.currentTimeMillis());
    table = next;
    ready = true;
    Set<String> live = new HashSet<>();
    for (AppRoute app : next.apps()) {
      for (VersionRoute v : app.versions().values()) {
        v.upstreams().forEach(u -> live.add(u.info().key()));
      }
    }
    List<Upstream> gone = upstreams.retainOnly(live);
    if (!gone.isEmpty()) {
      dropped.accept(gone);
    }
    for (AppRoute app : next.apps()) {
      if (app.policy() == null) {
        continue;
      }
      AppRoute before = previous.app(app.name());
      if (first || before == null || before.revision() != app.revision()
          || !Objects.equals(before.policy(), app.policy())) {
        revisionApplied.accept(app.name(), app.revision());
      }
    }
    if (!next.problems().equals(previous.problems())) {
      next.problems().forEach(p -> LOG.warn("routing: {}", p));
    }
    LOG.info("route table: {} app(s), {} instance(s){}", next.apps().size(), live.size(),
        gone.isEmpty() ? "" : ", " + gone.size() + " left");
    return next;
  }
}
