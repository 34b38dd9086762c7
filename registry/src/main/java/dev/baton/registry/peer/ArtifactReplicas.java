package dev.baton.registry.peer;

import dev.baton.common.http.ErrorText;
import dev.baton.common.model.ArtifactMeta;
import dev.baton.registry.store.ArtifactStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifact bytes on every live registry (docs/ARCHITECTURE.md, Registry, "Artifacts on every registry"). After
 * an upload the leader asks each live peer to hold the artifact and waits, up to a deadline, for each to confirm
 * the sha256 ({@link #replicate}); each peer pulls the bytes itself and checks them against the KV record. A
 * registry that lacks bytes it is asked for fetches them from a live peer ({@link #local}), and a periodic
 * sweep of the KV records ({@link #sweep}) catches up whatever a registry missed while it was down.
 */
public final class ArtifactReplicas {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactReplicas.class);

  /** Who holds an artifact after an upload: registries that confirmed, and why the others did not. */
  public record Replication(List<String> replicas, Map<String, String> lagging) {

    /** {@code replicas: [id...]} and {@code lagging: [{registry, reason}...]}, for the upload's answer. */
    public JsonObject toJson() {
      JsonArray late = new JsonArray();
      lagging.forEach((id, why) -> late.add(new JsonObject().put("registry", id).put("reason", why)));
      return new JsonObject().put("replicas", new JsonArray(replicas)).put("lagging", late);
    }
  }

  private final Vertx vertx;
  private final ArtifactStore store;
  private final RegistryPeers peers;
  private final PeerClient client;
  private final String self;
  private final PeerSettings settings;
  private final Map<String, Future<Void>> fetching = new HashMap<>();
  private long timer = -1;
  private boolean sweeping;

  public ArtifactReplicas(Vertx vertx, ArtifactStore store, RegistryPeers peers, PeerClient client, String self,
                          PeerSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.peers = peers;
    this.client = client;
    this.self = self;
    this.settings = settings;
  }

  /**
   * The real path of {@code meta}'s bytes on this registry; when they are missing, fetched first from a live
   * peer ({@code preferred} first when it is one). Fails with {@link ArtifactStore.MissingBytesException} naming
   * why each peer could not give them.
   */
  public Future<Path> local(ArtifactMeta meta, String preferred) {
    return store.servable(meta).recover(e -> e instanceof ArtifactStore.MissingBytesException
        ? fetch(meta, preferred).compose(v -> store.servable(meta)) : Future.failedFuture(e));
  }

  /** Asks every live peer to hold {@code meta}; completes once all confirmed or the deadline passed. */
  public Future<Replication> replicate(ArtifactMeta meta) {
    return peers.live().recover(e -> {
      LOG.warn("{} {}: cannot list the other registries to replicate to: {}", meta.app(), meta.version(),
          e.getMessage());
      return Future.succeededFuture(List.of());
    }).compose(live -> {
      Map<String, Future<String>> answers = new LinkedHashMap<>();
      live.forEach(p -> answers.put(p.id(), confirmed(p, meta)));
      return Future.join(new ArrayList<>(answers.values())).transform(x -> {
        List<String> holders = new ArrayList<>(List.of(self));
        Map<String, String> lagging = new LinkedHashMap<>();
        answers.forEach((id, f) -> {
          if (f.succeeded()) {
            holders.add(id);
          } else {
            lagging.put(id, f.cause().getMessage());
          }
        });
        if (!lagging.isEmpty()) {
          LOG.warn("{} {}: stored on {}, not yet on {} ({}); they fetch it from a peer when asked for it or on"
              + " their next sweep", meta.app(), meta.version(), holders, lagging.keySet(), lagging);
        }
        return Future.succeededFuture(new Replication(holders, lagging));
      });
    });
  }

  /**
   * After a DELETE: asks every live peer to remove its copy; peers that do not answer keep theirs (logged), so
   * the delete itself never fails for them.
   */
  public Future<Void> forget(ArtifactMeta meta) {
    return peers.live().recover(e -> Future.succeededFuture(List.of())).compose(live -> {
      List<Future<Void>> asked = live.stream().map(p -> client.askToDrop(p, meta, settings.replicationTimeoutMs())
          .onFailure(e -> LOG.warn("{} {} was deleted, but {} may keep its copy: {}", meta.app(), meta.version(),
              p.id(), ErrorText.of(e)))).toList();
      return Future.join(asked).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    });
  }

  /**
   * Looks at every valid record once and fetches the bytes this registry lacks; yields how many it fetched.
   * A registry without live peers has nobody to fetch from and skips the sweep.
   */
  public Future<Integer> sweep() {
    if (sweeping) {
      return Future.succeededFuture(0);
    }
    sweeping = true;
    int[] fetched = {0};
    return peers.live().compose(live -> live.isEmpty() ? Future.succeededFuture(0) : store.inventory().compose(inv -> {
      Future<Void> chain = Future.succeededFuture();
      for (ArtifactMeta meta : inv.valid()) {
        chain = chain.compose(v -> store.holds(meta)).compose(held -> held ? Future.<Void>succeededFuture()
            : fetch(meta, null).onSuccess(x -> fetched[0]++)).recover(e -> {
              LOG.warn("{} {}: its bytes are not on this registry and cannot be fetched now: {}", meta.app(),
                  meta.version(), ErrorText.of(e));
              return Future.succeededFuture();
            });
      }
      return chain.map(v -> fetched[0]);
    })).onComplete(ar -> sweeping = false);
  }

  /** Sweeps now and then every {@code BATON_ARTIFACT_SYNC_MS} (only now when it is 0). */
  public void start() {
    sweep().onFailure(e -> LOG.warn("artifact sweep: {}", ErrorText.of(e)));
    if (settings.syncMs() > 0) {
      timer = vertx.setPeriodic(settings.syncMs(), id -> sweep()
          .onFailure(e -> LOG.warn("artifact sweep: {}", ErrorText.of(e))));
    }
  }

  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return client.close();
  }

  /** One fetch per artifact at a time: later askers share it. */
  private Future<Void> fetch(ArtifactMeta meta, String preferred) {
    String key = meta.app() + "/" + meta.version() + "@" + meta.sha256();
    Future<Void> running = fetching.get(key);
    if (running != null) {
      return running;
    }
    Future<Void> f = peers.live().compose(live -> fromFirst(PeerOrder.of(live, preferred), 0, meta, new ArrayList<>()));
    fetching.put(key, f);
    return f.onComplete(ar -> fetching.remove(key));
  }

  private Future<Void> fromFirst(List<Peer> order, int i, ArtifactMeta meta, List<String> reasons) {
    if (i == order.size()) {
      return Future.failedFuture(new ArtifactStore.MissingBytesException(meta, reasons.isEmpty()
          ? "no other registry is live" : "no live registry gave them: " + String.join("; ", reasons)));
    }
    Peer peer = order.get(i);
    return client.fetch(peer, meta, store).onSuccess(v -> LOG.info("{} {}: its bytes were missing here; fetched"
            + " from {} and checked against the record", meta.app(), meta.version(), peer.id()))
        .recover(e -> {
          reasons.add(peer.id() + ": " + ErrorText.of(e));
          return fromFirst(order, i + 1, meta, reasons);
        });
  }

  /** A peer's confirmation that it holds {@code meta}, or why not, within the replication deadline. */
  private Future<String> confirmed(Peer peer, ArtifactMeta meta) {
    Promise<String> answer = Promise.promise();
    long deadline = settings.replicationTimeoutMs();
    long t = vertx.setTimer(deadline, x -> answer.tryFail("it did not confirm within " + deadline + " ms"));
    client.askToHold(peer, meta, deadline).onComplete(ar -> {
      vertx.cancelTimer(t);
      if (ar.succeeded()) {
        answer.tryComplete(peer.id());
      } else {
        answer.tryFail(ErrorText.of(ar.cause()));
      }
    });
    return answer.future();
  }
}
