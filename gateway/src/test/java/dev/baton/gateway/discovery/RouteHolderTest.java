package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.gateway.routing.RouteTable;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamObserver;
import dev.baton.gateway.routing.UpstreamRegistry;
import dev.baton.gateway.routing.Ejection;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The holder rebuilds the apps whose inputs changed, acks their revisions, and drops instances that left. */
class RouteHolderTest {

  private final List<String> acks = new ArrayList<>();
  private final List<Upstream> dropped = new ArrayList<>();
  private final UpstreamRegistry registry = new UpstreamRegistry(
      i -> new Upstream(i, Ejection.ofMillis(3, 1000, 30_000), UpstreamObserver.NONE));
  private final RouteHolder holder = new RouteHolder(registry, null, (app, rev) -> acks.add(app + "@" + rev),
      dropped::addAll);

  private static InstanceInfo instance(String app, int port) {
    return new InstanceInfo(app + "-" + port, app, "1.0.0", "127.0.0.1", port);
  }

  private static RoutePolicy policy(String app, long revision) {
    return RoutePolicy.fromJson(new JsonObject("{\"app\":\"" + app + "\",\"revision\":" + revision
        + ",\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}"));
  }

  @Test
  void aChangeToOneAppRebuildsThatAppOnly() {
    List<InstanceInfo> all = new ArrayList<>(List.of(instance("shop", 1), instance("shop", 2), instance("cart", 3)));
    RouteTable first = holder.apply(new RouteInputs(Map.of(), Map.of("shop", policy("shop", 1),
        "cart", policy("cart", 7)), all, List.of()));
    assertThat(acks).containsExactlyInAnyOrder("shop@1", "cart@7");

    acks.clear();
    all.remove(1);
    RouteTable second = holder.apply(new RouteInputs(Map.of(), Map.of("shop", policy("shop", 2),
        "cart", policy("cart", 7)), all, List.of()));
    assertThat(acks).containsExactly("shop@2");
    assertThat(second.app("cart")).isSameAs(first.app("cart"));
    assertThat(second.app("shop").version("1.0.0").upstreams()).hasSize(1);
    assertThat(dropped).extracting(u -> u.info().id()).containsExactly("shop-2");
    assertThat(registry.all()).extracting(u -> u.info().id()).containsExactlyInAnyOrder("shop-1", "cart-3");
  }

  @Test
  void eachAppKeepsWhenItsCurrentRevisionWasApplied() {
    List<InstanceInfo> all = new ArrayList<>(List.of(instance("shop", 1), instance("cart", 3)));
    java.time.Instant start = java.time.Instant.now();
    holder.apply(new RouteInputs(Map.of(), Map.of("shop", policy("shop", 1), "cart", policy("cart", 7)), all,
        List.of()));
    java.time.Instant cartApplied = holder.revisionAppliedAt("cart");
    assertThat(cartApplied).isAfterOrEqualTo(start).isBeforeOrEqualTo(java.time.Instant.now());

    java.time.Instant beforeShop2 = java.time.Instant.now();
    holder.apply(new RouteInputs(Map.of(), Map.of("shop", policy("shop", 2), "cart", policy("cart", 7)), all,
        List.of()));
    assertThat(holder.revisionAppliedAt("shop")).isAfterOrEqualTo(beforeShop2);
    assertThat(holder.revisionAppliedAt("cart")).as("unchanged revision keeps its moment").isEqualTo(cartApplied);

    holder.apply(new RouteInputs(Map.of(), Map.of("shop", policy("shop", 2)), all, List.of()));
    assertThat(holder.revisionAppliedAt("cart")).as("policy deleted").isNull();
    assertThat(holder.revisionAppliedAt("nobody")).isNull();
  }
}
