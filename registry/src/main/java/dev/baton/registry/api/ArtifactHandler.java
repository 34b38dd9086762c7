package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.ArtifactMeta;
import dev.baton.registry.peer.ArtifactReplicas;
import dev.baton.registry.peer.PeerClient;
import dev.baton.registry.store.ArtifactQuota;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.InvalidArtifactException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PUT /v1/artifacts/{app}/{version}} (streamed, hashed, immutable, never empty, within the quota, acknowledged once
 * the live registries hold it), {@code GET} of the bytes (fetched from a peer registry first when missing here),
 * {@code POST .../replica} (hold this artifact: a peer's request), {@code DELETE} of an artifact nothing needs,
 * and {@code GET /v1/artifacts/{app}} (the list).
 */
public final class ArtifactHandler {

  private final ArtifactStore store;
  private final ArtifactService service;
  private final ArtifactReplicas replicas;
  private final String self;

  public ArtifactHandler(ArtifactStore store, ArtifactService service, ArtifactReplicas replicas, String self) {
    this.store = store;
    this.service = service;
    this.replicas = replicas;
    this.self = self;
  }

  void upload(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    ctx.request().pause(); // nothing may be lost while the temporary file is being opened
    String length = ctx.request().getHeader("Content-Length");
    long declared = length != null && length.matches("[0-9]{1,18}") ? Long.parseLong(length) : -1;
    if (declared == 0) {
      ctx.request().resume();
      RegistryApi.fail(ctx, translate(new ArtifactStore.EmptyException()));
      return;
    }
    if (declared > store.maxBytes()) {
      refuseBody(ctx, new ArtifactStore.TooLargeException(store.maxBytes()));
      return;
    }
    store.upload(c.app(), c.version(), ctx.request(), declared).onComplete(ar -> {
      if (ar.succeeded()) {
        ArtifactMeta meta = ar.result().meta();
        int status = ar.result().created() ? 201 : 200;
        replicas.replicate(meta).onComplete(r -> RegistryApi.json(ctx, status,
            r.succeeded() ? meta.toJson().mergeIn(r.result().toJson()) : meta.toJson()));
      } else if (!ctx.request().isEnded()) {
        refuseBody(ctx, ar.cause());
      } else {
        RegistryApi.fail(ctx, translate(ar.cause()));
      }
    });
  }

  /**
   * Answers before the body was read (413 and the like), then reads and drops the rest so the client
   * sees the answer, and closes the connection.
   */
  private void refuseBody(RoutingContext ctx, Throwable e) {
    ctx.response().putHeader("Connection", "close");
    RegistryApi.fail(ctx, translate(e));
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      return; // the stream is reset, the connection carries other streams on
    }
    ctx.request().handler(buf -> { }).endHandler(v -> ctx.request().connection().close()).resume();
    ctx.vertx().setTimer(10_000, t -> ctx.request().connection().close());
  }

  void download(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    store.meta(c.app(), c.version()).compose(meta -> {
      if (meta.isEmpty()) {
        throw ApiException.notFound("no artifact " + c.app() + " " + c.version() + "; upload it with PUT /v1/artifacts/"
            + c.app() + "/" + c.version());
      }
      // a peer's download is answered from this disk only (PeerClient.LOCAL_ONLY); anyone else's fetches first
      String peer = ctx.request().getHeader(PeerClient.LOCAL_ONLY);
      Future<Path> bytes = peer != null ? store.servable(meta.get()) : replicas.local(meta.get(), null);
      return bytes.compose(file -> ctx.response()
          .putHeader("Content-Type", "application/octet-stream")
          .putHeader("X-Baton-Sha256", meta.get().sha256())
          .sendFile(file.toString()));
    }).onFailure(e -> RegistryApi.fail(ctx, translate(e)));
  }

  /**
   * A peer (normally the leader, after an upload) asks this registry to hold an artifact: answered once its
   * bytes, checked against the KV record, are on this disk: {@code {registry, app, version, sha256, size}}.
   */
  void replica(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    String from = ctx.request().getParam("from");
    String preferred = from != null && from.length() <= 64 ? from : null; // only compared with peers' ids
    store.meta(c.app(), c.version()).compose(meta -> {
      if (meta.isEmpty()) {
        throw ApiException.notFound("no artifact " + c.app() + " " + c.version() + " is recorded");
      }
      return replicas.local(meta.get(), preferred).map(file -> new JsonObject().put("registry", self)
          .put("app", c.app()).put("version", c.version()).put("sha256", meta.get().sha256())
          .put("size", meta.get().size()));
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        RegistryApi.json(ctx, 200, ar.result());
      } else {
        RegistryApi.fail(ctx, translate(ar.cause()));
      }
    });
  }

  /** A peer deleted an artifact: this registry removes its copy unless the record still names those bytes. */
  void dropReplica(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    String sha = ctx.request().getParam("sha256");
    if (sha == null || !ArtifactMeta.STORED_SHA256.matcher(sha).matches()) {
      RegistryApi.fail(ctx, new ApiException(400, "invalid_request", "sha256 must be 64 lowercase hexadecimal"
          + " characters: the digest of the copy to remove"));
      return;
    }
    RegistryApi.reply(ctx, 200, store.dropUnrecorded(c.app(), c.version(), sha), removed -> new JsonObject()
        .put("registry", self).put("app", c.app()).put("version", c.version()).put("fileDeleted", removed));
  }

  void delete(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c != null) {
      service.delete(c.app(), c.version())
          .compose(deleted -> deleted.getString("sha256") == null ? Future.succeededFuture(deleted)
              : replicas.forget(new ArtifactMeta(c.app(), c.version(), deleted.getString("sha256"), 0, null, null))
                  .map(deleted))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              RegistryApi.json(ctx, 200, ar.result());
            } else {
              RegistryApi.fail(ctx, translate(ar.cause()));
            }
          });
    }
  }

  void list(RoutingContext ctx) {
    RegistryApi.reply(ctx, 200, RegistryApi.attempt(() -> service.list(Bodies.app(ctx))), v -> v);
  }

  /** The store's refusals as the API's errors; anything else goes to {@link RegistryApi#fail} as it is. */
  private static Throwable translate(Throwable e) {
    if (e instanceof ArtifactStore.EmptyException empty) {
      return new ApiException(400, "empty_artifact", empty.getMessage());
    }
    if (e instanceof ArtifactQuota.ExceededException q) {
      return new ApiException(413, "quota_exceeded", q.getMessage());
    }
    if (e instanceof InvalidArtifactException bad) {
      return new ApiException(500, "artifact_invalid", bad.getMessage());
    }
    if (e instanceof ArtifactStore.MissingBytesException missing) {
      return new ApiException(404, "artifact_bytes_missing", missing.getMessage());
    }
    if (e instanceof ArtifactStore.MismatchException mismatch) {
      return new ApiException(502, "artifact_mismatch", mismatch.getMessage());
    }
    return e;
  }

  /** The app and version named by the path. */
  private record Coordinates(String app, String version) {

    /** The path's app and version, or null once the 400 naming the bad one has been sent. */
    static Coordinates of(RoutingContext ctx) {
      try {
        return new Coordinates(Bodies.app(ctx), Bodies.version(ctx));
      } catch (RuntimeException e) {
        RegistryApi.fail(ctx, e);
        return null;
      }
    }
  }
}
