package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ServiceNames;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker host dies with requests in flight to its instance (docs/ARCHITECTURE.md, Gateway, "Instances on a failed
 * host"). Instance {@code b} is registered in a second Consul agent standing for its host ({@link WorkerAgent}); the
 * test SIGSTOPs {@code b} (its sockets hang, as behind a dead link) and SIGKILLs that agent, so Consul marks the node
 * failed while keeping {@code b} in its catalog. The gateway's upstream timeout is 120 s, longer than the test client
 * waits: an answer can only come from the gateway noticing the failed node.
 */
class FailedHostIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static WorkerAgent worker;
  static Stack.Instance a;
  static Stack.Instance b;

  @BeforeAll
  static void start() {
    stack = new Stack(CONSUL);
    a = stack.instance("shop", "1.0.0");
    // b answers everything but /health after 60 s: a request sent to it stays in flight.
    b = stack.instance("shop", "1.0.0", Map.of("LATENCY_MS", "60000"));
    stack.deregister(b);
    worker = WorkerAgent.join(CONSUL.process());
    Poll.until(Duration.ofSeconds(30), () -> stack.http.get(CONSUL.httpAddress() + "/v1/catalog/nodes").body()
        .contains("\"" + worker.nodeName + "\""), "worker agent " + worker.nodeName + " joined the cluster");
    // No service check: its node's serfHealth is its only health, as for a host whose instance is stopped with it.
    JsonObject body = new JsonObject().put("Name", b.app()).put("ID", b.id()).put("Address", "127.0.0.1")
        .put("Port", b.port()).put("Tags", new JsonArray(ServiceNames.instanceTags(b.version())));
    Poll.until(Duration.ofSeconds(20), () -> stack.http.send("PUT", worker.httpAddress() + "/v1/agent/service/register",
        body.encode()).status() == 200, "b registered on the worker agent");
    stack.startGateway(Map.of("BATON_UPSTREAM_TIMEOUT_MS", "120000"));
    stack.awaitInstances("shop", List.of(a.id(), b.id()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) {
      signal("CONT", b.process().pid());
    }
    if (worker != null) {
      worker.close();
    }
    Stack.close(stack, null);
  }

  @Test
  void requestsWaitingOnAFailedHostAreRetriedWhenSafeAndAnsweredWhenNot() throws Exception {
    // The POSTs carry no Idempotency-Key: the gateway may not send them twice.
    List<CompletableFuture<Http.Reply>> posts = new ArrayList<>();
    Poll.until(Duration.ofSeconds(20), () -> {
      posts.add(CompletableFuture.supplyAsync(() -> stack.http.send("POST", stack.url("/orders"),
          "{\"item\":\"book\"}", "Content-Type", "application/json")));
      return inFlight(b) >= 1;
    }, "a POST in flight on b");
    List<CompletableFuture<Http.Reply>> gets = new ArrayList<>();
    Poll.until(Duration.ofSeconds(20), () -> {
      gets.add(stack.http.getAsync(stack.url("/slow?ms=3000")));
      return inFlight(b) >= 2;
    }, "a GET in flight on b as well");

    signal("STOP", b.process().pid());
    worker.kill9();

    for (CompletableFuture<Http.Reply> f : gets) {
      Http.Reply r = f.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as("GET answered: %s", r.body()).isEqualTo(200);
      assertThat(Stack.servedBy(r)).as("served by a, the GET on b retried there").isEqualTo(a.port());
    }
    List<Http.Reply> postReplies = new ArrayList<>();
    for (CompletableFuture<Http.Reply> f : posts) {
      postReplies.add(f.get(60, TimeUnit.SECONDS));
    }
    List<Http.Reply> unavailable = postReplies.stream().filter(r -> r.status() == 502).toList();
    assertThat(unavailable).as("the POST on b is answered, not retried: %s", postReplies).hasSize(1);
    assertThat(unavailable.get(0).json().getString("error")).isEqualTo("upstream_unavailable");
    // Without an Idempotency-Key a has refused the others at once (the sample app wants one on /orders).
    assertThat(postReplies.stream().filter(r -> r.status() != 502)).allMatch(r -> r.status() == 400);
    stack.gateway.awaitLog(Pattern.compile("host lost: .*" + Pattern.quote(b.id())), Duration.ofSeconds(10));
    stack.awaitInstances("shop", List.of(a.id()));
  }

  static int inFlight(Stack.Instance i) {
    return stack.adminGet("/v1/upstreams").json().getJsonArray("upstreams").stream()
        .map(o -> (JsonObject) o).filter(u -> u.getString("id").equals(i.id()))
        .mapToInt(u -> u.getInteger("inFlight")).sum();
  }

  /** Sends SIGSTOP or SIGCONT ({@link ProcessHandle} only terminates); a process already gone is no error. */
  static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
    }
  }
}
