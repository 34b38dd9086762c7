package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Consul agent restarted without its state (a dev agent, a rebuilt node) answers "no such service" until the
 * baton agents register their instances again (their resync, every 10 s). The gateway must not take that first
 * empty answer for the truth and fail every request in between (issue 11; docs/ARCHITECTURE.md, Gateway).
 */
class ConsulForgetsIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension(ConsulProcess.Storage.IN_MEMORY);

  static Stack stack;

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theLastTableServesUntilTheInstancesAreRegisteredAgain() {
    stack = new Stack(CONSUL);
    Stack.Instance blue = stack.instance("shop", "1.0.0");
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":1,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(blue.id()));
    stack.awaitRevision("shop", 1);

    CONSUL.process().restart();
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":1,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}");
    List<String> failures = new ArrayList<>();
    int[] sent = {0};
    Runnable request = () -> {
      Http.Reply r = stack.http.get(stack.url("/"));
      sent[0]++;
      if (r.status() != 200) {
        failures.add(r.status() + " " + r.body());
      }
    };
    // the gateway reads the empty Consul (its catalog source is fresh again) ...
    Poll.until(Duration.ofSeconds(20), () -> {
      request.run();
      return !stack.http.get(stack.admin("/health")).json().getJsonObject("consul").getBoolean("stale");
    }, "the gateway reads the restarted, empty Consul");
    for (int i = 0; i < 100; i++) {
      request.run();
    }
    // ... and the instance is registered again, as the agent's resync does
    stack.register(blue);
    Poll.until(Duration.ofSeconds(20), () -> {
      request.run();
      return new JsonArray(stack.http.get(CONSUL.httpAddress() + "/v1/health/service/shop?passing=1").body())
          .size() == 1;
    }, "the instance passes again in the restarted Consul");
    for (int i = 0; i < 50; i++) {
      request.run();
    }
    assertThat(failures).as("failed requests of %d while Consul had forgotten the instance", sent[0]).isEmpty();
  }
}
