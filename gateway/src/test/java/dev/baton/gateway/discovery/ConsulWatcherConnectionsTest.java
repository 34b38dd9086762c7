package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.RouteInputs;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many connections the watcher holds to Consul: one per blocking query, not two. A Consul agent closes a client
 * address's connections beyond {@code limits.http_max_conns_per_client} (200 by default), and the gateway runs one
 * query per app: when each loop sent its next read from the callback of the last one, before the client had taken
 * the connection back, every loop held two and about 95 apps were the most one gateway could watch
 * (docs/ARCHITECTURE.md, "Control-plane latency"). Linux only: counts this process's sockets in {@code /proc}.
 */
class ConsulWatcherConnectionsTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  private static final int APPS = 12;
  private static final long WAIT_SECONDS = 30;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void everyBlockingQueryHoldsOneConnection() throws Exception {
    for (int a = 0; a < APPS; a++) {
      register("app" + a, 0);
    }
    ConsulAccess access = new ConsulAccess(CONSUL.host(), CONSUL.port(), false, null, null, null, null);
    ConsulClient consul = ConsulWatcher.client(vertx, access, WAIT_SECONDS);
    KvReader kv = new KvReader(vertx.createHttpClient(access.httpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(4)), access, WAIT_SECONDS);
    AtomicReference<RouteInputs> latest = new AtomicReference<>();
    ConsulWatcher watcher = new ConsulWatcher(vertx, consul, access, kv, WAIT_SECONDS, Backoff.DEFAULT, latest::set);
    watcher.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    for (int round = 1; round <= 3; round++) { // every app's loop reads again after each change
      for (int a = 0; a < APPS; a++) {
        register("app" + a, round);
      }
      int expected = APPS * (round + 1);
      Poll.until(Duration.ofSeconds(10), () -> latest.get().instances().size() == expected,
          "the table to hold " + expected + " instances");
    }
    Set<InstanceInfo> seen = new HashSet<>(latest.get().instances());
    assertThat(seen).hasSize(APPS * 4);

    // The watcher's own, whatever the app count (ConsulWatcherScaleTest), plus this test's client and the one
    // ConsulProcess checked readiness with. With one blocking query per app: APPS + 5, and 31 here when each loop
    // held two connections.
    long connections = ConsulSockets.connectionsTo(CONSUL.port());
    System.out.printf("%d apps watched: %d connections to Consul%n", APPS, connections);
    assertThat(connections).isLessThanOrEqualTo(APPS + 5);
    watcher.stop();
  }

  private static void register(String app, int n) throws Exception {
    String id = app + "-" + n;
    JsonObject body = new JsonObject().put("ID", id).put("Name", app).put("Address", "198.18.0." + (n + 1))
        .put("Port", 20000 + n).put("Tags", new JsonArray().add("baton").add("version=1.0.0"));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(CONSUL.httpAddress()
        + "/v1/agent/service/register")).PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
