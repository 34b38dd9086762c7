package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance killed with SIGKILL under load: retries and passive ejection keep every GET answered. */
class FailoverIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;

  @BeforeAll
  static void start() {
    stack = new Stack(CONSUL);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void killMinus9OfOneInstanceUnderLoadFailsNoGet() throws Exception {
    LoadResult result = killOneUnderLoad(() -> stack.http.get(stack.url("/")));
    assertThat(result.failures).as("failed GETs").isEmpty();
  }

  /**
   * A POST marked with an Idempotency-Key is safe to send twice: the gateway keeps its small body while
   * streaming it and resends it to another instance when the first one died before answering.
   */
  @Test
  void killMinus9UnderPostLoadWithIdempotencyKeysFailsNothing() throws Exception {
    AtomicInteger key = new AtomicInteger();
    LoadResult result = killOneUnderLoad(() -> stack.http.send("POST", stack.url("/orders"),
        "{\"item\": \"baton\", \"note\": \"" + "x".repeat(2000) + "\"}",
        "Idempotency-Key", "failover-" + key.incrementAndGet(), "Content-Type", "application/json"));
    assertThat(result.failures).as("failed POSTs with an Idempotency-Key").isEmpty();
  }

  private static final int WORKERS = 8;

  record LoadResult(List<String> failures, int okAfterKill) {
  }

  private LoadResult killOneUnderLoad(java.util.function.Supplier<Http.Reply> request) throws Exception {
    Stack.Instance victim = stack.instance("shop", "1.0.0");
    Stack.Instance b = stack.instance("shop", "1.0.0");
    Stack.Instance c = stack.instance("shop", "1.0.0");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(victim.id(), b.id(), c.id()));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger okAfterKill = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> loops = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int w = 0; w < WORKERS; w++) {
      loops.add(workers.submit(() -> {
        while (running.get() && System.nanoTime() < deadline) {
          try {
            Http.Reply r = request.get();
            if (r.status() / 100 != 2) {
              failures.add(r.status() + " " + r.body());
            } else {
              ok.incrementAndGet();
              if (killed.get()) {
                okAfterKill.incrementAndGet();
              }
            }
          } catch (RuntimeException e) {
            failures.add(e.toString());
          }
        }
      }));
    }
    try {
      Poll.until(Duration.ofSeconds(20), () -> ok.get() >= 500, "load is flowing");
      victim.process().kill9();
      killed.set(true);
      stack.awaitInstances("shop", List.of(b.id(), c.id()));
      int before = okAfterKill.get();
      Poll.until(Duration.ofSeconds(20), () -> okAfterKill.get() >= before + 500, "load keeps flowing after the kill");
    } finally {
      running.set(false);
      for (Future<?> f : loops) {
        f.get(30, TimeUnit.SECONDS);
      }
      workers.shutdownNow();
    }
    assertThat(okAfterKill.get()).isGreaterThan(500);
    JsonObject upstreams = stack.adminGet("/v1/upstreams").json();
    assertThat(upstreams.getJsonArray("upstreams").encode()).doesNotContain(victim.id());
    System.out.printf("FailoverIT: %d failed of %d after the kill: %s%n", failures.size(), okAfterKill.get(), failures);
    for (Stack.Instance i : List.of(victim, b, c)) {
      stack.deregister(i);
      i.process().close();
    }
    return new LoadResult(List.copyOf(failures), okAfterKill.get());
  }
}
