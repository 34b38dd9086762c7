package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.registry.store.ArtifactStore;
import io.vertx.ext.web.RoutingContext;

/** {@code PUT /v1/artifacts/{app}/{version}} (streamed, hashed, immutable) and {@code GET} of the bytes. */
public final class ArtifactHandler {

  private final ArtifactStore store;

  public ArtifactHandler(ArtifactStore store) {
    this.store = store;
  }

  void upload(RoutingContext ctx) {
    Coordinates c = Coordinates.of(ctx);
    if (c == null) {
      return;
    }
    String app = c.app();
    String version = c.version();
    ctx.request().pause(); // nothing may be lost while the temporary file is being opened
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,19}") && Long.parseLong(length) > store.maxBytes()) {
      rejectTooLarge(ctx);
      return;
    }
    store.upload(app, version, ctx.request()).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ArtifactStore.TooLargeException) {
        rejectTooLarge(ctx);
        return;
      }
      if (ar.failed()) {
        RegistryApi.fail(ctx, ar.cause());
        return;
      }
      RegistryApi.json(ctx, ar.result().created() ? 201 : 200, ar.result().meta().toJson());
    });
  }

  /** 413, then the rest of the body is read and dropped so the client sees the answer, and the connection closes. */
  private void rejectTooLarge(RoutingContext ctx) {
    RegistryApi.fail(ctx, new ArtifactStore.TooLargeException(store.maxBytes()));
    if (ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_2) {
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
    String app = c.app();
    String version = c.version();
    store.meta(app, version).onComplete(ar -> {
      if (ar.failed()) {
        RegistryApi.fail(ctx, ar.cause());
      } else if (ar.result().isEmpty()) {
        RegistryApi.fail(ctx, ApiException.notFound("no artifact " + app + " " + version
            + "; upload it with PUT /v1/artifacts/" + app + "/" + version));
      } else {
        ctx.response().putHeader("Content-Type", "application/octet-stream")
            .putHeader("X-Baton-Sha256", ar.result().get().sha256())
            .sendFile(store.file(ar.result().get()).toString())
            .onFailure(e -> RegistryApi.fail(ctx, e));
      }
    });
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
