package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API behind the operator and read tokens, Prometheus metrics, and the version header turned off. */
class AdminIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void adminNeedsATokenExceptHealthAndMetricsCountRequestsPerInstance() {
    stack = new Stack(CONSUL);
    Stack.Instance i = stack.instance("shop", "1.0.0");
    stack.startGateway(Map.of("BATON_TOKEN", "s3cret", "BATON_VERSION_HEADER", "false"));
    String auth = "Bearer s3cret";
    Poll.until(Duration.ofSeconds(20), () -> stack.http.get(stack.admin("/v1/routes"), "Authorization", auth).json()
        .getJsonArray("apps").encode().contains(i.id()), "instance routed");

    Http.Reply health = stack.http.get(stack.admin("/health"));
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");

    Http.Reply denied = stack.http.get(stack.admin("/v1/routes"));
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.json().getString("error")).isEqualTo("unauthorized");
    assertThat(stack.http.get(stack.admin("/metrics")).status()).isEqualTo(401);
    assertThat(stack.http.get(stack.admin("/v1/upstreams"), "Authorization", "Bearer wrong").status()).isEqualTo(401);
    assertThat(stack.http.get(stack.admin("/nope"), "Authorization", auth).status()).isEqualTo(404);
    assertThat(stack.adminGet("/v1/upstreams").status()).as("the read token reads").isEqualTo(200);
    Http.Reply write = stack.http.send("POST", stack.admin("/v1/routes"), "{}", "Authorization",
        "Bearer " + stack.tokens.read());
    assertThat(write.status()).as("the read token only reads").isEqualTo(403);
    assertThat(write.json().getString("error")).isEqualTo("forbidden");

    for (int n = 0; n < 10; n++) {
      Http.Reply r = stack.http.get(stack.url("/"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.batonVersion()).as("BATON_VERSION_HEADER=false").isNull();
    }
    assertThat(stack.http.get(stack.url("/nope")).status()).isEqualTo(404);
    String metrics = stack.http.get(stack.admin("/metrics"), "Authorization", auth).body();
    assertThat(metrics).contains("baton_gateway_responses_total{app=\"shop\",class=\"2xx\",instance=\"" + i.id()
        + "\",version=\"1.0.0\"} 10.0");
    assertThat(metrics).contains("baton_gateway_responses_total{app=\"shop\",class=\"4xx\",instance=\"" + i.id()
        + "\",version=\"1.0.0\"} 1.0");
    assertThat(metrics).contains("baton_gateway_request_duration_seconds_bucket{app=\"shop\"");
    assertThat(metrics).contains("baton_gateway_in_flight{");

    JsonObject upstream = stack.http.get(stack.admin("/v1/upstreams"), "Authorization", auth).json()
        .getJsonArray("upstreams").getJsonObject(0);
    assertThat(upstream.getString("id")).isEqualTo(i.id());
    assertThat(upstream.getString("address")).isEqualTo(i.address());
    assertThat(upstream.getBoolean("draining")).isFalse();
    assertThat(upstream.getBoolean("ejected")).isFalse();
    assertThat(List.of(upstream.getInteger("inFlight"))).containsExactly(0);
  }
}
