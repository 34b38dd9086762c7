package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outlier ejection with the gateway's defaults (gateway/README.md, "Outlier ejection"): an instance answering only
 * 500 while its siblings answer 200 leaves the rotation; a version whose only instance answers 500 stays in it,
 * so canary analysis sees its errors. The failing instances are sample-app with {@code FAIL_RATE=1}.
 */
class OutlierIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final int REQUESTS = 300;
  static Stack stack;

  @BeforeAll
  static void start() {
    stack = new Stack(CONSUL);
    Stack.Instance bad = stack.instance("shop", "1.0.0", Map.of("FAIL_RATE", "1"));
    Stack.Instance b = stack.instance("shop", "1.0.0");
    Stack.Instance c = stack.instance("shop", "1.0.0");
    Stack.Instance solo = stack.instance("solo", "2.0.0", Map.of("FAIL_RATE", "1"));
    stack.putSpec("shop", "{\"instances\":3,\"routing\":{\"hosts\":[\"shop.example.com\"],\"pathPrefix\":\"/\"}}");
    stack.putSpec("solo", "{\"instances\":1,\"routing\":{\"hosts\":[\"solo.example.com\"],\"pathPrefix\":\"/\"}}");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(bad.id(), b.id(), c.id()));
    stack.awaitInstances("solo", List.of(solo.id()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void anInstanceAnsweringOnly500WhileItsSiblingsAnswerLeavesTheRotation() {
    int errors = 0;
    for (int i = 0; i < REQUESTS; i++) {
      Http.Reply r = stack.http.get(stack.url("/"), "Host", "shop.example.com");
      assertThat(r.status()).as("request %d", i).isIn(200, 500);
      errors += r.status() == 500 ? 1 : 0;
    }
    System.out.printf("outlier ejection: %d of %d requests answered 500 with one of three instances failing "
        + "every request (a third without ejection)%n", errors, REQUESTS);
    // Without ejection the failing instance takes about a third (~100); with it, 5 answers per ejection, whose
    // period doubles from BATON_EJECT_BASE_MS.
    assertThat(errors).isLessThan(REQUESTS / 6);
  }

  @Test
  void aVersionWhoseEveryInstanceFailsStaysInRotation() {
    for (int i = 0; i < 30; i++) {
      Http.Reply r = stack.http.get(stack.url("/"), "Host", "solo.example.com");
      assertThat(r.status()).as("the instance's own 500, not the gateway's 503: %s", r.body()).isEqualTo(500);
    }
    io.vertx.core.json.JsonArray upstreams = new io.vertx.core.json.JsonObject(stack.adminGet("/v1/upstreams").body())
        .getJsonArray("upstreams");
    assertThat(upstreams.stream().map(o -> (io.vertx.core.json.JsonObject) o)
        .filter(u -> "solo".equals(u.getString("app"))).map(u -> u.getBoolean("ejected")).toList())
        .containsExactly(false);
  }
}
