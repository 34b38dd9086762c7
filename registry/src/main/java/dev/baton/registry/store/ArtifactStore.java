package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.ArtifactMeta;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifacts: bytes on disk under {@code <dataDir>/artifacts/<app>/<version>.<sha256>}, metadata in KV
 * {@code baton/artifacts/<app>/<version>}. An upload is streamed to a temporary file while its sha256
 * is computed, then moved into place, then its metadata is created with check-and-set: a version is
 * immutable (same bytes again: idempotent; different bytes: {@link ArtifactConflictException}).
 * Every record is validated before use ({@link ArtifactRecord}) and a file is served only when its real
 * path is under the artifact root (docs/ARCHITECTURE.md, Registry, "Artifacts").
 */
public final class ArtifactStore {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);

  /** The upload went over the configured limit. */
  public static final class TooLargeException extends RuntimeException {
    public TooLargeException(long max) {
      super("the artifact is larger than the limit of " + max + " bytes; raise BATON_MAX_ARTIFACT_BYTES to allow it");
    }
  }

  /** The upload had no bytes: nothing could run from it, so nothing is stored (docs/registry-api.md, "Artifacts"). */
  public static final class EmptyException extends RuntimeException {
    public EmptyException() {
      super("the artifact is empty (0 bytes); send the file's bytes as the request body"
          + " (curl --data-binary @app.jar, or baton artifact push)");
    }
  }

  /** The version exists with other bytes. */
  public static final class ArtifactConflictException extends RuntimeException {
    public ArtifactConflictException(ArtifactMeta existing) {
      super("artifact " + existing.app() + " " + existing.version() + " already exists with sha256 "
          + existing.sha256() + "; versions are immutable, upload under a new version");
    }
  }

  /** The record is valid but this registry has no file for it (data dir wiped, or uploaded to another registry). */
  public static final class MissingBytesException extends RuntimeException {
    public MissingBytesException(ArtifactMeta meta) {
      this(meta, "its data dir was wiped, or they were uploaded to another registry");
    }

    /** {@code why}: why no peer registry could give them (docs/ARCHITECTURE.md, Registry). */
    public MissingBytesException(ArtifactMeta meta, String why) {
      super("the bytes of " + meta.app() + " " + meta.version() + " (sha256 " + meta.sha256() + ") are not on this"
          + " registry (" + why + "); upload the same bytes again with PUT /v1/artifacts/" + meta.app() + "/"
          + meta.version());
    }
  }

  /** Bytes offered for a record (by a peer) are not the recorded ones: nothing was stored. */
  public static final class MismatchException extends RuntimeException {
    public MismatchException(ArtifactMeta meta, String what) {
      super("the bytes offered for " + meta.app() + " " + meta.version() + " are not the recorded ones (" + what + ")");
    }
  }

  /** What an upload produced: the metadata and whether bytes were stored (201) or already there (200). */
  public record Stored(ArtifactMeta meta, boolean created) {
  }

  /** What a delete removed: the record, and whether a file went with it. */
  public record Deleted(ArtifactRecord record, boolean fileDeleted) {
  }

  /** Every record under {@code baton/artifacts/}, valid or not. */
  public record Inventory(List<ArtifactRecord> records) {

    public List<ArtifactMeta> valid() {
      return records.stream().filter(r -> r instanceof ArtifactRecord.Valid)
          .map(r -> ((ArtifactRecord.Valid) r).meta()).toList();
    }

    public List<ArtifactRecord.Invalid> invalid() {
      return records.stream().filter(r -> r instanceof ArtifactRecord.Invalid).map(r -> (ArtifactRecord.Invalid) r)
          .toList();
    }

    /** The bytes the quota counts: the sizes of the valid records. */
    public long usedBytes() {
      return valid().stream().mapToLong(ArtifactMeta::size).sum();
    }
  }

  private final Vertx vertx;
  private final KvStore kv;
  private final ArtifactFiles files;
  private final long maxBytes;
  private final ArtifactQuota quota;
  private final String publicUrl;
  /** Invalid records already logged by {@link #inventory()}, as {@code key@index}: one warning each, not one per upload. */
  private Set<String> reported = Set.of();

  public ArtifactStore(Vertx vertx, KvStore kv, Path dataDir, long maxBytes, long quotaBytes, String publicUrl) {
    this.vertx = vertx;
    this.kv = kv;
    this.files = new ArtifactFiles(vertx, dataDir.toAbsolutePath().normalize().resolve("artifacts"));
    this.maxBytes = maxBytes;
    this.quota = new ArtifactQuota(quotaBytes);
    this.publicUrl = publicUrl;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public ArtifactQuota quota() {
    return quota;
  }

  public String url(String app, String version) {
    return publicUrl + "/v1/artifacts/" + app + "/" + version;
  }

  /** The record of a version, judged; empty when there is none. */
  public Future<Optional<ArtifactRecord>> record(String app, String version) {
    return kv.entry(ConsulKeys.artifact(app, version))
        .map(e -> e.map(x -> ArtifactRecord.parse(x.key(), x.value(), x.index())));
  }

  /** The metadata of a version; fails with {@link InvalidArtifactException} (logged) for a bad record. */
  public Future<Optional<ArtifactMeta>> meta(String app, String version) {
    return record(app, version).map(r -> r.map(ArtifactStore::validOrThrow));
  }

  /** Every record, valid or not; an invalid one is logged naming its key, once per version of the record. */
  public Future<Inventory> inventory() {
    return kv.entries(ConsulKeys.ARTIFACTS).map(all -> {
      List<ArtifactRecord> records = all.stream().map(e -> ArtifactRecord.parse(e.key(), e.value(), e.index())).toList();
      Set<String> bad = new HashSet<>();
      for (ArtifactRecord r : records) {
        if (r instanceof ArtifactRecord.Invalid invalid) {
          bad.add(r.key() + "@" + r.index());
          if (!reported.contains(r.key() + "@" + r.index())) {
            LOG.warn("{}", invalid.failure().getMessage());
          }
        }
      }
      reported = bad;
      return new Inventory(records);
    });
  }

  /** The real path of a stored artifact's file, checked to lie under the artifact root ({@link ArtifactFiles}). */
  public Future<Path> servable(ArtifactMeta meta) {
    return files.servable(meta);
  }

  /** True when this registry holds the recorded bytes of {@code meta}; false when they are missing here. */
  public Future<Boolean> holds(ArtifactMeta meta) {
    return servable(meta).map(p -> true)
        .recover(e -> e instanceof MissingBytesException ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /**
   * Stores bytes of an existing record (fetched from a peer registry, docs/ARCHITECTURE.md, Registry,
   * "Artifacts on every registry"): {@code body} (paused) is streamed to a temporary file, cut once it passes
   * the recorded size, and moved into place only when its size and sha256 are the record's. KV is not touched,
   * and the quota already counts the record.
   */
  public Future<Void> adopt(ArtifactMeta meta, ReadStream<Buffer> body) {
    FileSystem fs = vertx.fileSystem();
    Path temp = files.root().resolve(meta.app()).resolve(".peer-" + UUID.randomUUID());
    ArtifactUpload copy = new ArtifactUpload(meta.app(), meta.version(), temp, meta.size(), quota, null);
    return files.directory(meta.app())
        .compose(dir -> fs.open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> copy.receive(body, file))
        .recover(e -> Future.failedFuture(e instanceof TooLargeException
            ? new MismatchException(meta, "more than the recorded " + meta.size() + " bytes") : e))
        .compose(hashed -> {
          if (hashed.size() != meta.size() || !hashed.sha256().equals(meta.sha256())) {
            return Future.failedFuture(new MismatchException(meta, hashed.size() + " bytes with sha256 "
                + hashed.sha256() + ", the record says " + meta.size() + " bytes with sha256 " + meta.sha256()));
          }
          return fs.move(temp.toString(), files.file(meta).toString(), new CopyOptions().setReplaceExisting(true));
        })
        .onFailure(e -> fs.delete(temp.toString()).onFailure(x -> { }));
  }

  /**
   * Streams {@code body} (paused) to disk, hashing it, then records the metadata. A new version counts
   * against the quota: {@code declared} (Content-Length, or -1) is refused before a byte is read, the
   * stream is cut as soon as it passes, and the final size is checked again before anything is recorded.
   */
  public Future<Stored> upload(String app, String version, ReadStream<Buffer> body, long declared) {
    FileSystem fs = vertx.fileSystem();
    Path temp = files.root().resolve(app).resolve(".upload-" + UUID.randomUUID());
    ArtifactUpload[] upload = new ArtifactUpload[1];
    return meta(app, version)
        .compose(existing -> existing.isPresent() ? Future.succeededFuture((Long) null)
            : inventory().map(inv -> {
              quota.check(app, version, inv.usedBytes(), Math.max(declared, 0), 0, false);
              return inv.usedBytes();
            }))
        .compose(recorded -> {
          upload[0] = new ArtifactUpload(app, version, temp, maxBytes, quota, recorded);
          return files.directory(app);
        })
        .compose(dir -> fs.open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> upload[0].receive(body, file))
        .compose(hashed -> hashed.size() == 0 ? Future.failedFuture(new EmptyException())
            : record(upload[0], hashed))
        .onComplete(ar -> {
          if (upload[0] != null) {
            upload[0].finish();
          }
        })
        .onFailure(e -> fs.delete(temp.toString()).onFailure(x -> { }));
  }

  /**
   * Removes this registry's copy of {@code app} {@code version} with {@code sha256} once its record is gone (a
   * peer's DELETE, docs/ARCHITECTURE.md, Registry): true when a file was removed; false when there was none, or
   * when the record still names these bytes (then nothing is removed).
   */
  public Future<Boolean> dropUnrecorded(String app, String version, String sha256) {
    ArtifactMeta copy = new ArtifactMeta(app, version, sha256, 0, null, null);
    return record(app, version).compose(r -> r.isPresent() && r.get() instanceof ArtifactRecord.Valid v
        && v.meta().sha256().equals(sha256) ? Future.succeededFuture(false)
        : files.remove(new ArtifactRecord.Valid(ConsulKeys.artifact(app, version), 0, copy)));
  }

  /** Removes the record (check-and-set, so a record rewritten meanwhile stays), then its file. */
  public Future<Deleted> delete(ArtifactRecord record) {
    return kv.deleteCas(record.key(), record.index())
        .compose(v -> record instanceof ArtifactRecord.Valid valid ? files.remove(valid) : Future.succeededFuture(false))
        .map(fileDeleted -> new Deleted(record, fileDeleted));
  }

  private Future<Stored> record(ArtifactUpload upload, ArtifactUpload.Hashed hashed) {
    ArtifactMeta meta = new ArtifactMeta(upload.app, upload.version, hashed.sha256(), hashed.size(),
        Instant.now().toString(), url(upload.app, upload.version));
    Path target = files.file(meta);
    return meta(upload.app, upload.version).compose(existing -> {
      if (existing.isPresent()) {
        return sameOrConflict(existing.get(), meta, upload.temp);
      }
      return inventory().map(inv -> {
        upload.checkQuota(inv.usedBytes(), hashed.size());
        return null;
      }).compose(v -> vertx.fileSystem().move(upload.temp.toString(), target.toString(),
              new CopyOptions().setReplaceExisting(true)))
          .compose(v -> kv.cas(ConsulKeys.artifact(upload.app, upload.version), meta.toJson(), 0))
          .map(i -> new Stored(meta, true))
          .recover(e -> e instanceof ConflictException
              ? meta(upload.app, upload.version).compose(now -> sameOrConflict(now.orElseThrow(), meta, target))
              : Future.failedFuture(e));
    });
  }

  /**
   * The version is already recorded: the same bytes are stored again when the record's file is missing
   * (201), else dropped (200); other bytes are a conflict and dropped.
   */
  private Future<Stored> sameOrConflict(ArtifactMeta existing, ArtifactMeta uploaded, Path ours) {
    FileSystem fs = vertx.fileSystem();
    if (!existing.sha256().equals(uploaded.sha256())) {
      fs.delete(ours.toString()).onFailure(x -> { });
      return Future.failedFuture(new ArtifactConflictException(existing));
    }
    Path target = files.file(existing);
    if (!ours.getFileName().toString().startsWith(".upload-")) {
      return Future.succeededFuture(new Stored(existing, false));
    }
    return fs.exists(target.toString()).compose(there -> there
        ? fs.delete(ours.toString()).map(v -> new Stored(existing, false))
        : fs.move(ours.toString(), target.toString(), new CopyOptions().setReplaceExisting(true))
            .map(v -> {
              LOG.info("{} {}: its file was missing; the same bytes were uploaded and stored again",
                  existing.app(), existing.version());
              return new Stored(existing, true);
            }));
  }

  private static ArtifactMeta validOrThrow(ArtifactRecord r) {
    if (r instanceof ArtifactRecord.Invalid bad) {
      InvalidArtifactException e = bad.failure();
      LOG.warn("{}", e.getMessage());
      throw e;
    }
    return ((ArtifactRecord.Valid) r).meta();
  }
}
