package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern SLOW_MARK = Pattern.compile("slow request started \\((\\d+) ms\\)");

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

  /** Shadow traffic: the mirror version sees a share of the requests, the client only the serving version. */
  @Test
  @Order(6)
  void mirrorVersionSeesItsShareWhileClientsOnlySeeTheServingVersion() throws Exception {
    String host = "shop.example.com"; // the spec of the previous test routes this host only
    policy("\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],\"mirror\":{\"version\":\"2.0.0\",\"percent\":50}");
    // A distinct duration marks this test's requests in the instances' logs.
    for (int i = 0; i < 200; i++) {
      Http.Reply r = stack.http.get(stack.url("/slow?ms=7"), "Host", host);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.batonVersion()).as("the client is served by the split, never by the mirror").isEqualTo("1.0.0");
    }
    assertThat(slowMarks(blue)).isEqualTo(200);
    // Mirrored requests are sent beside the real ones and may still be arriving: poll for the share.
    Poll.until(Duration.ofSeconds(10), () -> slowMarks(green) >= 70, "the mirror version got about half of the requests");
    assertThat(slowMarks(green)).as("50% of 200, within random spread").isBetween(70, 130);

    policy("\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]");
    int before = slowMarks(green);
    for (int i = 0; i < 50; i++) {
      assertThat(stack.http.get(stack.url("/slow?ms=7"), "Host", host).status()).isEqualTo(200);
    }
    assertThat(slowMarks(blue)).isEqualTo(250);
    assertThat(slowMarks(green)).as("no mirror once the policy drops it").isEqualTo(before);
  }

  /** A request with a body is mirrored once its body is complete; a body over the copy limit is not mirrored. */
  @Test
  @Order(7)
  void requestsWithABodyAreMirroredWholeUpToTheCopyLimit() {
    String host = "shop.example.com";
    policy("\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],\"mirror\":{\"version\":\"2.0.0\",\"percent\":100}");
    String big = "{\"note\":\"" + "x".repeat(100 * 1024) + "\"}";
    Http.Reply r = stack.http.send("POST", stack.url("/orders"), big, "Host", host, "Idempotency-Key", "mirror-big",
        "Content-Type", "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    for (int i = 0; i < 10; i++) {
      r = stack.http.send("POST", stack.url("/orders"), "{\"item\":" + i + "}", "Host", host,
          "Idempotency-Key", "mirror-" + i, "Content-Type", "application/json");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.batonVersion()).as("the client is answered by the serving version").isEqualTo("1.0.0");
    }
    // sample-app records an order only after reading its whole body: a key on green proves a complete copy.
    Poll.until(Duration.ofSeconds(10), () -> orders(green).size() == 10, "green got the ten small orders");
    assertThat(orders(green).fieldNames()).as("each small order mirrored once, the 100 KiB one not at all")
        .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "mirror-" + i)
            .toArray(String[]::new));
    assertThat(orders(green).getInteger("mirror-0")).isEqualTo(1);
    assertThat(orders(blue).fieldNames()).contains("mirror-big", "mirror-0", "mirror-9");
    policy("\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]");
  }

  private static io.vertx.core.json.JsonObject orders(Stack.Instance instance) {
    return stack.http.get("http://127.0.0.1:" + instance.port() + "/orders").json().getJsonObject("keys");
  }

  /** How many {@code /slow?ms=7} requests the instance logged. */
  private static int slowMarks(Stack.Instance instance) throws Exception {
    Matcher m = SLOW_MARK.matcher(Files.readString(instance.process().logFile()));
    int n = 0;
    while (m.find()) {
      if (m.group(1).equals("7")) {
        n++;
      }
    }
    return n;
  }
}
