package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each read of a prefix brings every key; only the keys whose text changed are parsed again. */
class KvStateTest {

  private final AtomicInteger parses = new AtomicInteger();
  private final KvState<RoutePolicy> routes = new KvState<>("route policy", ConsulKeys.ROUTES);

  private boolean update(Map<String, String> raw) {
    return routes.update(raw, (key, value) -> {
      parses.incrementAndGet();
      return KvState.parsePolicy(key, value);
    });
  }

  private static String policy(String app, long revision) {
    return "{\"app\":\"" + app + "\",\"revision\":" + revision + ",\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}";
  }

  @Test
  void onlyChangedTextIsParsedAndAnUnchangedKeyKeepsItsObject() {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      raw.put(ConsulKeys.route("app" + i), policy("app" + i, 1));
    }
    assertThat(update(raw)).isTrue();
    assertThat(parses).hasValue(100);
    RoutePolicy app7 = routes.values.get("app7");

    raw.put(ConsulKeys.route("app0"), policy("app0", 2));
    assertThat(update(raw)).isTrue();
    assertThat(parses).hasValue(101);
    assertThat(routes.values.get("app0").revision()).isEqualTo(2);
    assertThat(routes.values.get("app7")).isSameAs(app7);

    assertThat(update(raw)).as("the same texts again: no change").isFalse();
    assertThat(parses).hasValue(101);
  }

  @Test
  void anInvalidValueKeepsTheLastValidOneUntilItsTextChangesAgain() {
    Map<String, String> raw = new HashMap<>(Map.of(ConsulKeys.route("shop"), policy("shop", 3)));
    update(raw);
    raw.put(ConsulKeys.route("shop"), "{not json");
    assertThat(update(raw)).isTrue();
    assertThat(routes.values.get("shop").revision()).isEqualTo(3);
    assertThat(routes.problems).containsKey(ConsulKeys.route("shop"));
    assertThat(update(raw)).as("still reported while the text is invalid").isTrue();
    assertThat(routes.problems).containsKey(ConsulKeys.route("shop"));

    raw.put(ConsulKeys.route("shop"), policy("shop", 3));
    assertThat(update(raw)).as("valid again, the same value as before: no change, no problem").isFalse();
    assertThat(routes.problems).isEmpty();
  }
}
