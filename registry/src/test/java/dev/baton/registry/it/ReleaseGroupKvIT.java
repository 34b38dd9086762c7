package dev.baton.registry.it;

import static dev.baton.registry.it.KvStoreIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.bus.BatonEvent;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.GroupLink;
import dev.baton.common.model.GroupPhase;
import dev.baton.common.model.HistoryEntry;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseConfig;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.Strategy;
import dev.baton.registry.group.GroupCoordinator;
import dev.baton.registry.release.group.GroupView;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.GroupStore;
import dev.baton.registry.store.KvStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.Versioned;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release group in a real Consul's KV: created with its members in one transaction (all or nothing), and a
 * coordinator built from KV alone — as a new leader is — seeing every member and writing the group's history.
 */
class ReleaseGroupKvIT {

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

  static Release member(String group, String app) {
    return new Release(app + ".20260101T000000-0001", app, "1.0.0", "2.0.0", Strategy.fromJson(new JsonObject(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":20,\"pauseSeconds\":5},{\"weight\":100}]}")),
        ReleasePhase.PROGRESSING, 0, "m", List.of(new HistoryEntry("t", ReleasePhase.PROGRESSING, "m")),
        new JsonObject(), ReleaseConfig.NONE, List.of(), GroupLink.of(group));
  }

  static ReleaseGroup group(String id, List<Release> members) {
    return new ReleaseGroup(id, "t0", members.stream().map(Release::id).toList(),
        members.stream().map(Release::app).toList(), GroupPhase.PROGRESSING, "created",
        List.of(new ReleaseGroup.Entry("t0", GroupPhase.PROGRESSING, null, "created")), List.of());
  }

  @Test
  void aGroupWhoseLaterMemberCannotBeWrittenLeavesNothingBehind() throws Exception {
    GroupStore groups = new GroupStore(kv);
    ReleaseStore releases = new ReleaseStore(kv);
    Release first = member("g-half", "half-a");
    Release clash = member("g-half", "half-b");
    await(releases.create(clash)); // the later member's key is taken: its create-only write must fail
    assertThatThrownBy(() -> await(groups.create(group("g-half", List.of(first, clash)), List.of(first, clash))))
        .hasCauseInstanceOf(ConflictException.class);
    assertThat(await(kv.entry(ConsulKeys.release(first.app(), first.id())))).as("the earlier member").isEmpty();
    assertThat(await(groups.get("g-half"))).as("the group").isEmpty();
  }

  @Test
  void aCoordinatorStartedFromKvAloneSeesTheOtherMembersAndWritesTheGroupsHistory() throws Exception {
    GroupStore groups = new GroupStore(kv);
    ReleaseStore releases = new ReleaseStore(kv);
    Release shop = member("g-kv", "kv-shop");
    Release bill = member("g-kv", "kv-bill");
    await(groups.create(group("g-kv", List.of(shop, bill)), List.of(shop, bill)));

    List<BatonEvent> events = new CopyOnWriteArrayList<>();
    GroupCoordinator leader = new GroupCoordinator(groups, releases, events::add, "registry-2",
        System::currentTimeMillis, 0);
    GroupView seen = await(leader.view(shop));
    assertThat(seen.others()).singleElement().satisfies(m -> {
      assertThat(m.app()).isEqualTo("kv-bill");
      assertThat(m.promotion()).isOne();
    });

    Versioned<Release> stored = await(releases.get(bill.id())).orElseThrow();
    Release held = stored.value().withGroup(stored.value().group().held(0)).withMessage("waiting");
    await(releases.save(stored, held));
    vertx.runOnContext(v -> leader.saved(held));
    Poll.until(Duration.ofSeconds(10), () -> await(groups.get("g-kv")).orElseThrow().value().history().stream()
        .anyMatch(e -> e.message().equals("kv-bill finished step 1/2, waiting for the group")),
        "the group's history to say kv-bill waits");
    assertThat(events).extracting(BatonEvent::kind).contains("group.member");
    assertThat(events).allSatisfy(e -> assertThat(e.subject()).isEqualTo("g-kv"));
  }
}
