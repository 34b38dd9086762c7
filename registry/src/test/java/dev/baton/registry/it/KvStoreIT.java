package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.model.RoutePolicy;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.KvStore;
import dev.baton.registry.store.RouteStore;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KvStore}'s raw reads and check-and-set delete against a real Consul, and {@link RouteStore} handing each
 * policy it wrote to the bus publisher only once KV holds it.
 */
class KvStoreIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Vertx vertx;
  static KvStore kv;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    kv = new KvStore(CONSUL.client(vertx));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aDeleteWithAStaleIndexIsAConflictAndLeavesTheKeyWithTheCurrentIndexItGoes() throws Exception {
    String key = "baton/test/delete-cas";
    long first = await(kv.cas(key, new JsonObject().put("v", 1), 0));
    long second = await(kv.cas(key, new JsonObject().put("v", 2), first));
    assertThatThrownBy(() -> await(kv.deleteCas(key, first))).hasCauseInstanceOf(ConflictException.class);
    assertThat(await(kv.entry(key))).hasValueSatisfying(e -> assertThat(e.value()).contains("2"));
    await(kv.deleteCas(key, second));
    assertThat(await(kv.entry(key))).isEmpty();
  }

  @Test
  void rawEntriesListEveryValueEvenOnesThatAreNotJson() throws Exception {
    await(CONSUL.client(vertx).putValue("baton/test/raw/a", "not json"));
    await(CONSUL.client(vertx).putValue("baton/test/raw/b", "{\"ok\":true}"));
    assertThat(await(kv.entries("baton/test/raw/"))).extracting(KvStore.Entry::key)
        .containsExactly("baton/test/raw/a", "baton/test/raw/b");
  }

  @Test
  void eachRoutePolicyIsPublishedOnlyOnceKvHoldsItWithItsRevision() throws Exception {
    List<String> published = new CopyOnWriteArrayList<>();
    AtomicReference<RouteStore> store = new AtomicReference<>();
    store.set(new RouteStore(kv, written -> store.get().get(written.app()).onSuccess(inKv ->
        published.add(written.revision() + " " + written.split().get(0).version() + ", KV holds revision "
            + inKv.map(RoutePolicy::revision).orElse(-1L)))));
    await(store.get().write(RoutePolicy.single("published", 0, "1.0.0")));
    await(store.get().writeNotingOverride(RoutePolicy.single("published", 0, "2.0.0")));
    await(store.get().writeOverride(RoutePolicy.single("published", 0, "3.0.0"), "2026-12-01T00:00:00Z"));
    Poll.until(Duration.ofSeconds(10), () -> published.size() == 3,
        "three publishes");
    assertThat(published).containsExactly("1 1.0.0, KV holds revision 1", "2 2.0.0, KV holds revision 2",
        "3 3.0.0, KV holds revision 3");
  }

  static <T> T await(Future<T> f) throws InterruptedException, ExecutionException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from Consul in 10 s", e);
    }
  }
}
