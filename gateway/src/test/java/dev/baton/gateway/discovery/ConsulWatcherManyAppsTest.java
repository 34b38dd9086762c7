package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watcher against a real Consul with more apps than a Consul client's pool has connections (five): every
 * service's blocking query must be in flight at once, so a change to any app reaches the table within a fraction
 * of a wait. With one shared client, the seventh app's instance below waited for some other poll to end, a whole
 * {@value #WAIT_SECONDS} s (docs/ARCHITECTURE.md, Gateway, "Watching Consul").
 */
class ConsulWatcherManyAppsTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  private static final long WAIT_SECONDS = 30;
  private static final int APPS = 8;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aChangeToTheLastOfEightAppsReachesTheTableWithoutWaitingForAnotherPoll() throws Exception {
    for (int i = 1; i < APPS; i++) {
      register("app" + i, "app" + i + "-1", 20000 + i);
    }
    ConsulAccess access = new ConsulAccess(CONSUL.host(), CONSUL.port(), false, null, null, null, null);
    ConsulClient consul = ConsulWatcher.client(vertx, access, WAIT_SECONDS);
    KvReader kv = new KvReader(vertx.createHttpClient(access.httpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4)), access, WAIT_SECONDS);
    AtomicReference<RouteInputs> latest = new AtomicReference<>();
    ConsulWatcher watcher = new ConsulWatcher(vertx, consul, access, kv, WAIT_SECONDS, Backoff.DEFAULT, latest::set);
    watcher.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(latest.get().instances()).hasSize(APPS - 1);

    // A second instance of the seventh app, then a new eighth app: both while every app's poll waits.
    register("app7", "app7-2", 20100);
    register("app" + APPS, "app" + APPS + "-1", 20000 + APPS);
    long t0 = System.nanoTime();
    Poll.until(Duration.ofSeconds(WAIT_SECONDS / 3), () -> latest.get().instances().stream()
        .map(InstanceInfo::id).toList().containsAll(java.util.List.of("app7-2", "app" + APPS + "-1")),
        "the watcher sees app7's second instance and app" + APPS + " before any poll's wait ends");
    System.out.printf("%d apps watched: new instances in the table after %d ms (a poll waits %d s)%n", APPS,
        (System.nanoTime() - t0) / 1_000_000, WAIT_SECONDS);
    watcher.stop();
  }

  private void register(String app, String id, int port) throws Exception {
    CONSUL.client(vertx).registerService(new ServiceOptions().setName(app).setId(id).setAddress("127.0.0.1")
        .setPort(port).setTags(ServiceNames.instanceTags("1.0.0")))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
