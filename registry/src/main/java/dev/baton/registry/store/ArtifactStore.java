package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.ArtifactMeta;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Artifacts: bytes on disk under {@code <dataDir>/artifacts/<app>/<version>.<sha256>}, metadata in KV
 * {@code baton/artifacts/<app>/<version>}. An upload is streamed to a temporary file while its sha256
 * is computed, then moved into place, then its metadata is created with check-and-set: a version is
 * immutable (same bytes again: idempotent; different bytes: {@link ArtifactConflictException}).
 */
public final class ArtifactStore {

  /** The upload went over the configured limit. */
  public static final class TooLargeException extends RuntimeException {
    public TooLargeException(long max) {
      super("the artifact is larger than the limit of " + max + " bytes; raise BATON_MAX_ARTIFACT_BYTES to allow it");
    }
  }

  /** The version exists with other bytes. */
  public static final class ArtifactConflictException extends RuntimeException {
    public ArtifactConflictException(ArtifactMeta existing) {
      super("artifact " + existing.app() + " " + existing.version() + " already exists with sha256 "
          + existing.sha256() + "; versions are immutable, upload under a new version");
    }
  }

  /** What an upload produced: the metadata and whether it was new (201) or identical to the stored one (200). */
  public record Stored(ArtifactMeta meta, boolean created) {
  }

  private final Vertx vertx;
  private final KvStore kv;
  private final Path root;
  private final long maxBytes;
  private final String publicUrl;

  public ArtifactStore(Vertx vertx, KvStore kv, Path dataDir, long maxBytes, String publicUrl) {
    this.vertx = vertx;
    this.kv = kv;
    this.root = dataDir.resolve("artifacts");
    this.maxBytes = maxBytes;
    this.publicUrl = publicUrl;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public String url(String app, String version) {
    return publicUrl + "/v1/artifacts/" + app + "/" + version;
  }

  public Future<Optional<ArtifactMeta>> meta(String app, String version) {
    return kv.get(ConsulKeys.artifact(app, version)).map(v -> v.map(d -> ArtifactMeta.fromJson(d.value())));
  }

  /** The file holding the bytes of a stored artifact; named by its sha256 so two racing uploads never share a file. */
  public Path file(ArtifactMeta meta) {
    return root.resolve(meta.app()).resolve(meta.version() + "." + meta.sha256());
  }

  /** Streams {@code body} to disk, hashing it, then records the metadata. {@code body} must be paused. */
  public Future<Stored> upload(String app, String version, ReadStream<Buffer> body) {
    FileSystem fs = vertx.fileSystem();
    Path dir = root.resolve(app);
    Path temp = dir.resolve(".upload-" + UUID.randomUUID());
    return fs.mkdirs(dir.toString())
        .compose(v -> fs.open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> receive(body, file))
        .compose(hashed -> record(app, version, hashed, temp))
        .onFailure(e -> fs.delete(temp.toString()));
  }

  private record Hashed(String sha256, long size) {
  }

  private Future<Hashed> receive(ReadStream<Buffer> body, AsyncFile file) {
    Promise<Hashed> done = Promise.promise();
    MessageDigest digest = sha256();
    long[] size = {0};
    body.handler(buf -> {
      size[0] += buf.length();
      if (size[0] > maxBytes) {
        body.handler(null);
        file.close();
        done.tryFail(new TooLargeException(maxBytes));
        return;
      }
      digest.update(buf.getBytes());
      file.write(buf);
      if (file.writeQueueFull()) {
        body.pause();
        file.drainHandler(x -> body.resume());
      }
    });
    body.exceptionHandler(e -> {
      file.close();
      done.tryFail(e);
    });
    body.endHandler(v -> {
      if (done.future().isComplete()) {
        return;
      }
      file.flush().compose(x -> file.close())
          .onSuccess(x -> done.tryComplete(new Hashed(HexFormat.of().formatHex(digest.digest()), size[0])))
          .onFailure(done::tryFail);
    });
    file.exceptionHandler(done::tryFail);
    body.resume();
    return done.future();
  }

  private Future<Stored> record(String app, String version, Hashed hashed, Path temp) {
    ArtifactMeta meta = new ArtifactMeta(app, version, hashed.sha256(), hashed.size(), Instant.now().toString(),
        url(app, version));
    return meta(app, version).compose(existing -> {
      if (existing.isPresent()) {
        return sameOrConflict(existing.get(), meta, temp);
      }
      return vertx.fileSystem().move(temp.toString(), file(meta).toString(),
              new io.vertx.core.file.CopyOptions().setReplaceExisting(true))
          .compose(v -> kv.cas(ConsulKeys.artifact(app, version), meta.toJson(), 0))
          .map(i -> new Stored(meta, true))
          .recover(e -> e instanceof ConflictException
              ? meta(app, version).compose(now -> sameOrConflict(now.orElseThrow(), meta, file(meta)))
              : Future.failedFuture(e));
    });
  }

  private Future<Stored> sameOrConflict(ArtifactMeta existing, ArtifactMeta uploaded, Path ours) {
    if (existing.sha256().equals(uploaded.sha256())) {
      if (ours.getFileName().toString().startsWith(".upload-")) {
        vertx.fileSystem().delete(ours.toString());
      }
      return Future.succeededFuture(new Stored(existing, false));
    }
    vertx.fileSystem().delete(ours.toString());
    return Future.failedFuture(new ArtifactConflictException(existing));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
