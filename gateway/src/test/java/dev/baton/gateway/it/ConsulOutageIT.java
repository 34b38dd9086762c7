package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consul goes away: the gateway keeps routing on its last table and says so; Consul back: changes flow. */
class ConsulOutageIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension(ConsulProcess.Storage.ON_DISK);

  static Stack stack;

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void routingContinuesOnTheLastTableAndChangesFlowAgainOnceConsulIsBack() {
    stack = new Stack(CONSUL);
    Stack.Instance blue = stack.instance("shop", "1.0.0");
    Stack.Instance green = stack.instance("shop", "2.0.0");
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":1,\"split\":[{\"version\":\"1.0.0\",\"weight\":100},"
        + "{\"version\":\"2.0.0\",\"weight\":0}]}");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(blue.id(), green.id()));
    stack.awaitRevision("shop", 1);

    CONSUL.process().stop();
    Poll.until(Duration.ofSeconds(10), () -> "DEGRADED".equals(health().getString("status")), "health says DEGRADED");
    JsonObject health = health();
    assertThat(health.getJsonObject("consul").getBoolean("stale")).isTrue();
    assertThat(health.getJsonObject("consul").getString("staleSince")).isNotBlank();
    assertThat(health.getJsonObject("consul").getString("lastError")).isNotBlank();
    assertThat(health.getJsonObject("table").getInteger("instances")).isEqualTo(2);
    for (int i = 0; i < 300; i++) {
      Http.Reply r = stack.http.get(stack.url("/"));
      assertThat(r.status()).as("request %d while Consul is down: %s", i, r.body()).isEqualTo(200);
      assertThat(r.batonVersion()).isEqualTo("1.0.0");
    }

    // The restarted agent reloads both instances with their checks critical until each runs once: its first
    // answers say "no passing instance". Requests while it settles must still be served (issue 11).
    CONSUL.process().restart();
    List<String> failures = new java.util.ArrayList<>();
    int[] sent = {0};
    Poll.until(Duration.ofSeconds(20), () -> {
      Http.Reply r = stack.http.get(stack.url("/"));
      sent[0]++;
      if (r.status() != 200) {
        failures.add(r.status() + " " + r.body());
      }
      return "UP".equals(health().getString("status"))
          && new JsonArray(stack.http.get(CONSUL.httpAddress() + "/v1/health/service/shop?passing=1").body())
          .size() == 2;
    }, "the gateway reads the restarted Consul and both instances pass there");
    for (int i = 0; i < 50; i++) {
      Http.Reply r = stack.http.get(stack.url("/"));
      sent[0]++;
      if (r.status() != 200) {
        failures.add(r.status() + " " + r.body());
      }
    }
    assertThat(failures).as("failed requests of %d while the restarted Consul settled", sent[0]).isEmpty();
    stack.register(blue);
    stack.register(green);
    Poll.until(Duration.ofSeconds(20), () -> new JsonArray(stack.http.get(CONSUL.httpAddress()
        + "/v1/health/service/shop?passing=1").body()).size() == 2, "both instances passing in the restarted Consul");
    long written = System.nanoTime();
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":2,\"split\":[{\"version\":\"1.0.0\",\"weight\":0},"
        + "{\"version\":\"2.0.0\",\"weight\":100}]}");
    Poll.until(Duration.ofSeconds(10), () -> "2.0.0".equals(stack.http.get(stack.url("/")).batonVersion()),
        "the new policy routes to 2.0.0");
    long tookMs = (System.nanoTime() - written) / 1_000_000;
    assertThat(tookMs).as("a change after Consul came back flows within ~2 s").isLessThan(2500);
    Poll.until(Duration.ofSeconds(10), () -> "UP".equals(health().getString("status")), "health is UP again");
    for (int i = 0; i < 50; i++) {
      assertThat(stack.http.get(stack.url("/")).batonVersion()).isEqualTo("2.0.0");
    }
  }

  private static JsonObject health() {
    Http.Reply r = stack.http.get(stack.admin("/health"));
    assertThat(r.status()).as("health stays 200 while degraded: %s", r.body()).isEqualTo(200);
    return r.json();
  }
}
