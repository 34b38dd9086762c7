package dev.baton.gateway.routing;

import static dev.baton.gateway.routing.Fixtures.instances;
import static dev.baton.gateway.routing.Fixtures.policy;
import static dev.baton.gateway.routing.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteTableBuilder#update} rebuilds only the changed apps, shares every other {@link AppRoute} with the
 * previous table, and yields the table {@link RouteTableBuilder#build} would: same order, routes and problems.
 */
class RouteTableUpdateTest {

  private final UpstreamRegistry registry = new UpstreamRegistry(Fixtures::upstream);

  private static final RoutePolicy SHOP_SPLIT = policy("{\"app\":\"shop\",\"revision\":2,\"split\":["
      + "{\"version\":\"1.0.0\",\"weight\":90},{\"version\":\"9.0.0\",\"weight\":10}]}");

  private RouteInputs inputs(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies, List<InstanceInfo> all) {
    return new RouteInputs(specs, policies, all, List.of("a KV problem"));
  }

  private List<InstanceInfo> fleet(int extraShopPorts) {
    List<InstanceInfo> all = new ArrayList<>(instances("shop", "1.0.0", 1, 2));
    for (int i = 0; i < extraShopPorts; i++) {
      all.add(Fixtures.instance("shop", "1.0.0", 100 + i));
    }
    all.addAll(instances("api", "1.0.0", 3));
    all.addAll(instances("same", "1.0.0", 4));
    all.addAll(instances("other", "1.0.0", 5));
    return all;
  }

  @Test
  void onlyTheChangedAppIsRebuiltAndTheTableEqualsAWholeBuild() {
    Map<String, AppSpec> specs = Map.of("api", spec("api", List.of(), "/api"));
    RouteInputs first = inputs(specs, Map.of("shop", SHOP_SPLIT), fleet(0));
    RouteTable before = RouteTableBuilder.build(first, registry::obtain, null, 1);

    RouteInputs second = inputs(specs, Map.of("shop", SHOP_SPLIT), fleet(2));
    RouteTable after = RouteTableBuilder.update(before, second, Set.of("shop"), registry::obtain, null, 2);

    assertThat(after.app("shop")).isNotSameAs(before.app("shop"));
    assertThat(after.app("shop").version("1.0.0").upstreams()).hasSize(4);
    for (String unchanged : List.of("api", "same", "other")) {
      assertThat(after.app(unchanged)).isSameAs(before.app(unchanged));
    }
    assertThat(describe(after)).isEqualTo(describe(RouteTableBuilder.build(second, registry::obtain, null, 2)));
    assertThat(after.problems()).contains("a KV problem").anyMatch(p -> p.contains("9.0.0"))
        .anyMatch(p -> p.contains("match the same requests"));
  }

  @Test
  void anUnchangedAppKeepsItsProblemsAndAChangedSpecReordersTheTable() {
    RouteInputs first = inputs(Map.of(), Map.of("shop", SHOP_SPLIT), fleet(0));
    RouteTable before = RouteTableBuilder.build(first, registry::obtain, "other", 1);

    Map<String, AppSpec> specs = new HashMap<>();
    specs.put("same", spec("same", List.of("same.test"), "/same"));
    RouteInputs second = inputs(specs, Map.of("shop", SHOP_SPLIT), fleet(0));
    RouteTable after = RouteTableBuilder.update(before, second, Set.of("same"), registry::obtain, "other", 2);

    assertThat(after.app("shop")).isSameAs(before.app("shop"));
    assertThat(after.problems()).anyMatch(p -> p.contains("app shop") && p.contains("9.0.0"));
    assertThat(after.apps().get(0).name()).isEqualTo("same");
    assertThat(after.select("same.test", "/same/x").name()).isEqualTo("same");
    assertThat(describe(after)).isEqualTo(describe(RouteTableBuilder.build(second, registry::obtain, "other", 2)));
  }

  @Test
  void anAppThatLostEverythingLeavesAndANewOneEnters() {
    RouteInputs first = inputs(Map.of(), Map.of(), fleet(0));
    RouteTable before = RouteTableBuilder.build(first, registry::obtain, null, 1);

    List<InstanceInfo> next = fleet(0).stream().filter(i -> !i.app().equals("api")).collect(Collectors.toList());
    next.addAll(instances("fresh", "2.0.0", 9));
    RouteInputs second = inputs(Map.of(), Map.of(), next);
    RouteTable after = RouteTableBuilder.update(before, second, Set.of("api", "fresh"), registry::obtain, null, 2);

    assertThat(after.app("api")).isNull();
    assertThat(after.app("fresh").version("2.0.0").upstreams()).hasSize(1);
    assertThat(describe(after)).isEqualTo(describe(RouteTableBuilder.build(second, registry::obtain, null, 2)));
  }

  /** Everything routing reads from a table, as text. */
  static String describe(RouteTable t) {
    StringBuilder b = new StringBuilder();
    for (AppRoute a : t.apps()) {
      b.append(a.name()).append(' ').append(a.hosts()).append(a.pathPrefix()).append(' ').append(a.explicit())
          .append(" r").append(a.revision()).append(' ').append(a.effectiveSplit()).append(' ');
      a.versions().values().stream().sorted((x, y) -> x.version().compareTo(y.version())).forEach(v -> b
          .append(v.version()).append(v.upstreams().stream().map(u -> u.info().key()).toList()));
      b.append('\n');
    }
    b.append(t.defaultApp() == null ? "-" : t.defaultApp().name()).append('\n').append(t.problems());
    return b.toString();
  }
}
