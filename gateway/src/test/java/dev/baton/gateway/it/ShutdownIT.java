package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM: stop accepting, finish in-flight requests, deregister from Consul, exit 0 (DESIGN.md §5.7). */
class ShutdownIT {

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
  void sigtermFinishesInFlightRequestsDeregistersAndExitsZero() throws Exception {
    stack = new Stack(CONSUL);
    Stack.Instance i = stack.instance("shop", "1.0.0");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(i.id()));
    Poll.until(Duration.ofSeconds(20), () -> new JsonArray(stack.http.get(CONSUL.httpAddress()
        + "/v1/health/service/baton-gateway?passing=1").body()).size() == 1, "gateway registered and passing");

    CompletableFuture<Http.Reply> slow = stack.http.getAsync(stack.url("/slow?ms=2500"));
    Poll.until(Duration.ofSeconds(10), () -> stack.adminGet("/v1/upstreams").json()
        .getJsonArray("upstreams").getJsonObject(0).getInteger("inFlight") == 1, "the slow request is in flight");
    stack.gateway.sigterm();
    Poll.until(Duration.ofSeconds(5), () -> !accepts(stack.gatewayPort), "the traffic port stops accepting");
    Http.Reply finished = slow.get(10, TimeUnit.SECONDS);
    assertThat(finished.status()).as("the in-flight request finishes").isEqualTo(200);
    assertThat(finished.headers().getOrDefault("connection", List.of())).as("its connection is not kept alive")
        .containsExactly("close");
    assertThat(stack.gateway.waitForExit(Duration.ofSeconds(30))).as("exit code").isZero();
    assertThat(new JsonArray(stack.http.get(CONSUL.httpAddress() + "/v1/catalog/service/baton-gateway").body()))
        .as("deregistered").isEmpty();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
