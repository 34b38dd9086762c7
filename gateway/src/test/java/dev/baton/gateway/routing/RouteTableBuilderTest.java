package dev.baton.gateway.routing;

import static dev.baton.gateway.routing.Fixtures.instances;
import static dev.baton.gateway.routing.Fixtures.policy;
import static dev.baton.gateway.routing.Fixtures.spec;
import static dev.baton.gateway.routing.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTableBuilderTest {

  private static final Map<String, AppSpec> SPECS = Map.of(
      "shop", spec("shop", List.of("shop.example.com"), "/"),
      "api", spec("api", List.of(), "/api"),
      "admin", spec("admin", List.of("shop.example.com"), "/admin"),
      "wild", spec("wild", List.of("*.wild.test"), "/"));

  private static List<InstanceInfo> fleet() {
    List<InstanceInfo> all = new ArrayList<>();
    all.addAll(instances("shop", "1.0.0", 20001));
    all.addAll(instances("api", "1.0.0", 20002));
    all.addAll(instances("admin", "1.0.0", 20003));
    all.addAll(instances("wild", "1.0.0", 20004));
    all.addAll(instances("nospec", "1.0.0", 20005));
    return all;
  }

  static Stream<Arguments> selection() {
    return Stream.of(
        Arguments.of("shop.example.com", "/", null, "shop"),
        Arguments.of("SHOP.example.com:8080", "/cart", null, "shop"),
        Arguments.of("shop.example.com", "/admin/users", null, "admin"),
        Arguments.of("shop.example.com", "/administrator", null, "shop"),
        Arguments.of("shop.example.com", "/api/orders", null, "api"),
        Arguments.of("other.test", "/api", null, "api"),
        Arguments.of("other.test", "/apix", null, "nospec"),
        Arguments.of("a.wild.test", "/", null, "wild"),
        Arguments.of("wild.test", "/", null, "nospec"),
        Arguments.of(null, "/", null, "nospec"),
        Arguments.of("other.test", "/", "shop", "nospec"));
  }

  @ParameterizedTest(name = "{0} {1} (default {2}) -> {3}")
  @MethodSource("selection")
  void selectsAppByHostThenLongestPrefixWithSpecsBeforeSpecless(String host, String path, String dflt, String app) {
    RouteTable t = table(SPECS, Map.of(), fleet(), dflt);
    assertThat(t.select(host, path)).extracting(AppRoute::name).isEqualTo(app);
  }

  @Test
  void defaultAppTakesUnmatchedRequestsAndWinsTies() {
    Map<String, AppSpec> specs = Map.of("shop", spec("shop", List.of("shop.example.com"), "/"));
    List<InstanceInfo> all = new ArrayList<>(instances("shop", "1.0.0", 1));
    RouteTable noDefault = table(specs, Map.of(), all, null);
    assertThat(noDefault.select("elsewhere.test", "/")).isNull();
    RouteTable withDefault = table(specs, Map.of(), all, "shop");
    assertThat(withDefault.select("elsewhere.test", "/").name()).isEqualTo("shop");

    all.addAll(instances("alpha", "1.0.0", 2));
    all.addAll(instances("zeta", "1.0.0", 3));
    assertThat(table(Map.of(), Map.of(), all, null).select("x", "/").name()).isEqualTo("alpha");
    RouteTable tie = table(Map.of(), Map.of(), all, "zeta");
    assertThat(tie.select("x", "/").name()).isEqualTo("zeta");
    assertThat(tie.problems()).anyMatch(p -> p.contains("match the same requests"));
  }

  @Test
  void withoutPolicyEveryPassingVersionGetsAnEqualShare() {
    List<InstanceInfo> all = new ArrayList<>(instances("shop", "1.0.0", 1, 2));
    all.addAll(instances("shop", "2.0.0", 3));
    AppRoute shop = table(Map.of(), Map.of(), all, null).app("shop");
    assertThat(shop.effectiveSplit()).containsExactly(Map.entry("1.0.0", 1), Map.entry("2.0.0", 1));
    assertThat(shop.version("1.0.0").upstreams()).hasSize(2);
  }

  @Test
  void aSplitVersionWithoutInstancesGivesItsShareToTheOthersAndIsReported() {
    var p = policy("{\"app\":\"shop\",\"revision\":3,\"split\":[{\"version\":\"1.0.0\",\"weight\":70},"
        + "{\"version\":\"2.0.0\",\"weight\":20},{\"version\":\"3.0.0\",\"weight\":10}]}");
    List<InstanceInfo> all = new ArrayList<>(instances("shop", "1.0.0", 1));
    all.addAll(instances("shop", "3.0.0", 2));
    RouteTable t = table(Map.of(), Map.of("shop", p), all, null);
    assertThat(t.app("shop").effectiveSplit()).containsExactly(Map.entry("1.0.0", 7000), Map.entry("3.0.0", 1000));
    assertThat(t.problems()).anyMatch(s -> s.contains("2.0.0") && s.contains("no passing instance"));
    assertThat(t.app("shop").revision()).isEqualTo(3);
  }

  @Test
  void appsKnownOnlyFromSpecOrPolicyAreRoutedAndHaveNoInstance() {
    RouteTable t = table(Map.of("shop", spec("shop", List.of(), "/shop")),
        Map.of("cart", policy("{\"app\":\"cart\",\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}")), List.of(), null);
    assertThat(t.select("x", "/shop/1").name()).isEqualTo("shop");
    assertThat(t.select("x", "/").name()).isEqualTo("cart");
    assertThat(VersionPicker.pick(t.app("shop"), Fixtures.empty(), new java.util.Random(1))).isNull();
  }

  @Test
  void emptyTableRoutesNothing() {
    assertThat(RouteTable.EMPTY.select("x", "/")).isNull();
    assertThat(RouteTable.EMPTY.apps()).isEmpty();
  }

  @Test
  void runtimeStateIsSharedAcrossTables() {
    UpstreamRegistry registry = new UpstreamRegistry(Fixtures::upstream);
    RouteInputs in = new RouteInputs(Map.of(), Map.of(), instances("shop", "1.0.0", 1), List.of());
    RouteTable a = RouteTableBuilder.build(in, registry::obtain, null, 1);
    RouteTable b = RouteTableBuilder.build(in, registry::obtain, null, 2);
    assertThat(a.app("shop").version("1.0.0").upstreams().get(0))
        .isSameAs(b.app("shop").version("1.0.0").upstreams().get(0));
  }
}
