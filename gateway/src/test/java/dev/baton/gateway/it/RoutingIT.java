package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.baton.testsupport.ConsulExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Version routing through the real gateway: split weights, rules, sticky users, errors. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static Stack.Instance blue;
  static Stack.Instance green;
  static long revision;

  @BeforeAll
  static void start() {
    stack = new Stack(CONSUL);
    blue = stack.instance("shop", "1.0.0");
    green = stack.instance("shop", "2.0.0");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(blue.id(), green.id()));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static void policy(String splitAndMore) {
    revision++;
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":" + revision + "," + splitAndMore + "}");
    stack.awaitRevision("shop", revision);
  }

  private static String split(double blueWeight, double greenWeight) {
    return "\"split\":[{\"version\":\"1.0.0\",\"weight\":" + blueWeight + "},{\"version\":\"2.0.0\",\"weight\":"
        + greenWeight + "}]";
  }

  /** Sends {@code n} GETs, at most 32 at a time, and counts the versions that answered. */
  private static Map<String, Integer> versions(int n, String... headers) {
    Semaphore window = new Semaphore(32);
    List<CompletableFuture<Http.Reply>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.acquireUninterruptibly();
      all.add(stack.http.getAsync(stack.url("/"), headers).whenComplete((r, e) -> window.release()));
    }
    Map<String, Integer> counts = new HashMap<>();
    for (CompletableFuture<Http.Reply> f : all) {
      Http.Reply r = f.join();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getString("version")).isEqualTo(r.batonVersion());
      counts.merge(r.batonVersion(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  @Order(1)
  void withoutPolicyTrafficSplitsEvenlyAcrossPassingVersions() {
    Map<String, Integer> counts = versions(2000);
    assertThat(counts.getOrDefault("2.0.0", 0) / 2000.0).isCloseTo(0.5, within(0.05));
  }

  @Test
  @Order(2)
  void weightsAreHonouredWithinThreePercentOver10000Requests() {
    policy(split(80, 20));
    Map<String, Integer> counts = versions(10_000);
    assertThat(counts.getOrDefault("2.0.0", 0) / 10_000.0).isCloseTo(0.20, within(0.03));
    assertThat(counts.getOrDefault("1.0.0", 0) / 10_000.0).isCloseTo(0.80, within(0.03));
  }

  @Test
  @Order(3)
  void headerCookieAndQueryRulesWinOverTheSplit() {
    policy(split(100, 0) + ",\"rules\":["
        + "{\"match\":{\"header\":\"X-Baton-Preview\",\"equals\":\"green\"},\"version\":\"2.0.0\"},"
        + "{\"match\":{\"cookie\":\"beta\",\"equals\":\"yes\"},\"version\":\"2.0.0\"},"
        + "{\"match\":{\"query\":\"canary\",\"equals\":\"1\"},\"version\":\"2.0.0\"}]");
    assertThat(versions(200)).containsOnlyKeys("1.0.0");
    assertThat(versions(200, "X-Baton-Preview", "green")).containsOnlyKeys("2.0.0");
    assertThat(versions(200, "Cookie", "theme=dark; beta=yes")).containsOnlyKeys("2.0.0");
    for (int i = 0; i < 100; i++) {
      assertThat(stack.http.get(stack.url("/?canary=1")).batonVersion()).isEqualTo("2.0.0");
    }
  }

  @Test
  @Order(4)
  void stickyUserNeverFlipsBackAsWeightGoes10To50To100() {
    Map<String, String> seen = new HashMap<>();
    int users = 400;
    double[] weights = {10, 50, 100};
    for (double w : weights) {
      policy(split(100 - w, w) + ",\"sticky\":{\"header\":\"X-User-Id\"}");
      int onGreen = 0;
      for (int u = 0; u < users; u++) {
        String user = "user-" + u;
        String v = stack.http.get(stack.url("/"), "X-User-Id", user).batonVersion();
        String before = seen.put(user, v);
        if ("2.0.0".equals(before)) {
          assertThat(v).as("%s saw 2.0.0 at a lower weight and must keep it at %s%%", user, w).isEqualTo("2.0.0");
        }
        assertThat(stack.http.get(stack.url("/"), "X-User-Id", user).batonVersion()).as("same user, same step")
            .isEqualTo(v);
        onGreen += v.equals("2.0.0") ? 1 : 0;
      }
      assertThat(onGreen / (double) users).as("share on 2.0.0 at %s%%", w).isCloseTo(w / 100, within(0.08));
    }
  }

  @Test
  @Order(5)
  void unknownHostGets404NoRouteAndAVersionWithoutInstancesGets503() {
    stack.putSpec("shop", "{\"instances\":1,\"routing\":{\"hosts\":[\"shop.example.com\"],\"pathPrefix\":\"/\"}}");
    dev.baton.testsupport.Poll.until(java.time.Duration.ofSeconds(10),
        () -> stack.http.get(stack.url("/")).status() == 404, "spec with hosts applied");
    Http.Reply none = stack.http.get(stack.url("/"));
    assertThat(none.json().getString("error")).isEqualTo("no_route");
    assertThat(none.json().getString("message")).isNotBlank();
    assertThat(stack.http.get(stack.url("/"), "Host", "shop.example.com").status()).isEqualTo(200);

    policy(split(100, 0) + ",\"rules\":[{\"match\":{\"header\":\"X-V\",\"equals\":\"3\"},\"version\":\"3.0.0\"}]");
    Http.Reply r = stack.http.get(stack.url("/"), "Host", "shop.example.com", "X-V", "3");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().getString("error")).isEqualTo("no_instance");
    assertThat(stack.routes().getJsonArray("problems").encode()).contains("3.0.0");
  }
}
