package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Which services an answer of {@code /v1/health/state/any} says changed, and whether its checks account for it. */
class HealthStateTest {

  private static JsonObject check(String node, String id, String service, long modified) {
    return new JsonObject().put("Node", node).put("CheckID", id).put("ServiceName", service)
        .put("ModifyIndex", modified).put("Status", "passing");
  }

  private static HealthState state(long index, JsonObject... checks) {
    return HealthState.parse(new JsonArray(java.util.List.of((Object[]) checks)), index);
  }

  private static final JsonObject SERF_A = check("a", "serfHealth", "", 5);
  private static final JsonObject SHOP_A = check("a", "service:shop-1", "shop", 10);
  private static final JsonObject CART_B = check("b", "service:cart-1", "cart", 11);

  @Test
  void aModifiedAddedOrRemovedCheckNamesItsService() {
    HealthState before = state(11, SERF_A, SHOP_A, CART_B);
    assertThat(HealthState.changed(before, state(12, SERF_A, check("a", "service:shop-1", "shop", 12), CART_B)))
        .containsExactly("shop");
    HealthState added = state(13, SERF_A, SHOP_A, CART_B, check("b", "service:shop-2", "shop", 13));
    assertThat(HealthState.changed(before, added)).containsExactly("shop");
    assertThat(HealthState.changeIndexes(before, added)).containsExactly(13L);
    HealthState removed = state(14, SERF_A, SHOP_A);
    assertThat(HealthState.changed(before, removed)).containsExactly("cart");
    assertThat(HealthState.explains(before, removed)).isTrue();
    assertThat(HealthState.changeIndexes(before, removed)).containsExactly(14L);
  }

  @Test
  void aNodeCheckNamesEveryServiceOnThatNode() {
    HealthState before = state(11, SERF_A, SHOP_A, CART_B);
    HealthState failed = state(15, check("a", "serfHealth", "", 15), SHOP_A, CART_B);
    assertThat(HealthState.changed(before, failed)).containsExactly("shop");
    assertThat(HealthState.explains(before, failed)).isTrue();
  }

  @Test
  void anIndexMovedByNoCheckIsNotExplained() {
    HealthState before = state(11, SERF_A, SHOP_A, CART_B);
    HealthState moved = state(16, SERF_A, SHOP_A, CART_B); // a re-registration at another port, same check
    assertThat(HealthState.changed(before, moved)).isEmpty();
    assertThat(HealthState.explains(before, moved)).isFalse();
    assertThat(HealthState.explains(before, before)).isTrue();
  }
}
