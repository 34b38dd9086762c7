package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.KvStore;
import dev.baton.testsupport.ConsulExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KvStore}'s raw reads and check-and-set delete against a real Consul. */
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

  static <T> T await(Future<T> f) throws InterruptedException, ExecutionException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from Consul in 10 s", e);
    }
  }
}
