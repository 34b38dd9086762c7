package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.registry.store.ArtifactQuota;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.InvalidArtifactException;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PUT /v1/artifacts/{app}/{version}} (streamed, hashed, immutable, within the quota), {@code GET} of
 * the bytes, {@code DELETE} of an artifact nothing needs, and {@code GET /v1/artifacts/{app}} (the list).
 */
public final class ArtifactHandler {

  private final ArtifactStore store;
  private final ArtifactService service;

  public ArtifactHandler(ArtifactStore store, ArtifactService service) {
    this.store = store;
    this.service = service;
  }

  void upload(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    ctx.request().pause(); // nothing may be lost while the temporary file is being opened
    String length = ctx.request().getHeader("Content-Length");
    long declared = length != null && length.matches("[0-9]{1,18}") ? Long.parseLong(length) : -1;
    if (declared > store.maxBytes()) {
      refuseBody(ctx, new ArtifactStore.TooLargeException(store.maxBytes()));
      return;
    }
    store.upload(c.app(), c.version(), ctx.request(), declared).onComplete(ar -> {
      if (ar.succeeded()) {
        RegistryApi.json(ctx, ar.result().created() ? 201 : 200, ar.result().meta().toJson());
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
      return store.servable(meta.get()).compose(file -> ctx.response()
          .putHeader("Content-Type", "application/octet-stream")
          .putHeader("X-Baton-Sha256", meta.get().sha256())
          .sendFile(file.toString()));
    }).onFailure(e -> RegistryApi.fail(ctx, translate(e)));
  }

  void delete(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c != null) {
      service.delete(c.app(), c.version()).onComplete(ar -> {
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
    if (e instanceof ArtifactQuota.ExceededException q) {
      return new ApiException(413, "quota_exceeded", q.getMessage());
    }
    if (e instanceof InvalidArtifactException bad) {
      return new ApiException(500, "artifact_invalid", bad.getMessage());
    }
    if (e instanceof ArtifactStore.MissingBytesException missing) {
      return new ApiException(404, "artifact_bytes_missing", missing.getMessage());
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
