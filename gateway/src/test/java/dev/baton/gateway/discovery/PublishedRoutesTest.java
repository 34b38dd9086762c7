package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.consul.ConsulClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route policies published on the bus ahead of Consul's answer, against a real Consul (docs/ARCHITECTURE.md,
 * "Control-plane latency"): a newer published revision is in the watcher's inputs at once, before KV holds it; an
 * older or repeated one changes nothing; a KV read that has not reached it yet does not move the route back; and
 * once KV holds it (or a later one) KV is in force again.
 */
class PublishedRoutesTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  private static final long WAIT_SECONDS = 30;

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<RouteInputs> latest = new AtomicReference<>();
  private Context context;
  private ConsulWatcher watcher;

  @AfterEach
  void close() throws Exception {
    if (watcher != null) {
      onContext(() -> watcher.stop());
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aPublishedRevisionIsAppliedAtOnceAndKvStaysTheTruth() throws Exception {
    writeRoute(RoutePolicy.single("shop", 3, "1.0.0"));
    writeRoute(RoutePolicy.single("blog", 1, "1.0.0"));
    startWatcher();
    assertThat(revision("shop")).isEqualTo(3);

    // Published, not in KV: in force at once, with no read of Consul between.
    onContext(() -> watcher.published(RoutePolicy.single("shop", 4, "2.0.0")));
    assertThat(revision("shop")).isEqualTo(4);
    assertThat(latest.get().policies().get("shop").split().get(0).version()).isEqualTo("2.0.0");

    // A late or repeated message changes nothing.
    RouteInputs before = latest.get();
    onContext(() -> watcher.published(RoutePolicy.single("shop", 3, "1.0.0")));
    onContext(() -> watcher.published(RoutePolicy.single("shop", 4, "1.0.0")));
    assertThat(latest.get()).isSameAs(before);

    // A KV answer that has not reached revision 4 (another app's write wakes the loop) keeps it.
    writeRoute(RoutePolicy.single("blog", 2, "2.0.0"));
    Poll.until(Duration.ofSeconds(10), () -> revision("blog") == 2, "the KV loop to read blog's revision 2");
    assertThat(revision("shop")).isEqualTo(4);
    assertThat(latest.get().policies().get("shop").split().get(0).version()).isEqualTo("2.0.0");

    // KV reaches and passes it: KV's value is in force, and a publish of what KV already holds is ignored.
    writeRoute(RoutePolicy.single("shop", 5, "3.0.0"));
    Poll.until(Duration.ofSeconds(10), () -> revision("shop") == 5, "the KV loop to read shop's revision 5");
    before = latest.get();
    onContext(() -> watcher.published(RoutePolicy.single("shop", 5, "1.0.0")));
    assertThat(latest.get()).isSameAs(before);
    assertThat(latest.get().policies().get("shop").split().get(0).version()).isEqualTo("3.0.0");
  }

  @Test
  void aPublishedRevisionKvNeverShowsIsDroppedAndKvIsBackInForce() {
    RoutesAhead ahead = new RoutesAhead();
    Map<String, RoutePolicy> kv = Map.of("shop", RoutePolicy.single("shop", 7, "1.0.0"));
    assertThat(ahead.offer(RoutePolicy.single("shop", 8, "2.0.0"), kv)).isTrue();
    assertThat(ahead.offer(RoutePolicy.single("shop", 9, "3.0.0"), kv)).isTrue();
    assertThat(ahead.expire("shop", 8)).as("a newer publish since: not this timer's").isFalse();
    assertThat(ahead.over(kv).get("shop").revision()).isEqualTo(9);
    assertThat(ahead.expire("shop", 9)).isTrue();
    assertThat(ahead.over(kv)).isEqualTo(kv);
    // An app KV does not know yet (its first route) is taken too, and a read holding it ends it.
    assertThat(ahead.offer(RoutePolicy.single("new", 1, "1.0.0"), kv)).isTrue();
    ahead.caughtUp(Map.of("new", RoutePolicy.single("new", 1, "1.0.0")));
    assertThat(ahead.size()).isZero();
  }

  private void startWatcher() throws Exception {
    ConsulAccess access = new ConsulAccess(CONSUL.host(), CONSUL.port(), false, null, null, null, null);
    context = vertx.getOrCreateContext();
    CompletableFuture<Void> started = new CompletableFuture<>();
    context.runOnContext(v -> {
      ConsulClient consul = ConsulWatcher.client(vertx, access, WAIT_SECONDS);
      KvReader kv = new KvReader(vertx.createHttpClient(access.httpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(4)), access, WAIT_SECONDS);
      watcher = new ConsulWatcher(vertx, consul, access, kv, WAIT_SECONDS, Backoff.DEFAULT, latest::set);
      watcher.start().onComplete(ar -> {
        if (ar.succeeded()) {
          started.complete(null);
        } else {
          started.completeExceptionally(ar.cause());
        }
      });
    });
    started.get(20, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on the watcher's context and waits for it. */
  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private long revision(String app) {
    RoutePolicy p = latest.get().policies().get(app);
    return p == null ? -1 : p.revision();
  }

  private void writeRoute(RoutePolicy policy) throws Exception {
    ConsulClient client = CONSUL.client(vertx);
    client.putValue(ConsulKeys.route(policy.app()), policy.toJson().encode())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
