package dev.baton.registry.store;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.ArtifactMeta;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk side of artifacts, confined to the artifact root (docs/ARCHITECTURE.md, Registry,
 * "Artifacts"): a path is built from a validated record only, and before a file is served, written into
 * or removed, the real path (symbolic links resolved) of it or of its directory must lie under the real
 * path of the root. File-system calls that block run on a worker thread.
 */
final class ArtifactFiles {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactFiles.class);

  private final Vertx vertx;
  private final Path root;

  ArtifactFiles(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Where the bytes of {@code meta} live: {@code <root>/<app>/<version>.<sha256>}. */
  Path file(ArtifactMeta meta) {
    return valid(meta).file(root);
  }

  /**
   * The real path of a stored artifact's file, once it is known to lie under the artifact root, to be a
   * regular file and to hold the recorded number of bytes.
   */
  Future<Path> servable(ArtifactMeta meta) {
    ArtifactRecord.Valid record = valid(meta);
    return vertx.executeBlocking(() -> {
      Path file = record.file(root);
      Path real;
      try {
        real = file.toRealPath();
      } catch (NoSuchFileException e) {
        throw new ArtifactStore.MissingBytesException(meta);
      }
      Path realRoot = root.toRealPath();
      if (!real.startsWith(realRoot)) {
        LOG.warn("{} names {}, which resolves to {} outside the artifact root {}; refusing to serve it",
            record.key(), file, real, realRoot);
        throw new InvalidArtifactException(record.key(), "its file resolves outside the artifact root");
      }
      if (!Files.isRegularFile(real)) {
        throw new InvalidArtifactException(record.key(), "its file is not a regular file");
      }
      long size = Files.size(real);
      if (size != meta.size()) {
        throw new InvalidArtifactException(record.key(), "its file holds " + size + " bytes, the record says "
            + meta.size());
      }
      return real;
    }, false);
  }

  /** Removes the file of a record whose KV entry is gone; false when there was none, or none under the root. */
  Future<Boolean> remove(ArtifactRecord.Valid record) {
    return vertx.executeBlocking(() -> {
      Path file = record.file(root);
      if (!Files.isDirectory(file.getParent())) {
        return false;
      }
      Path parent = file.getParent().toRealPath();
      if (!parent.startsWith(root.toRealPath())) {
        LOG.warn("{} was deleted; its directory {} resolves to {} outside the artifact root, so no file was removed",
            record.key(), file.getParent(), parent);
        return false;
      }
      return Files.deleteIfExists(parent.resolve(file.getFileName()));
    }, false).recover(e -> {
      LOG.warn("{} was deleted but its file could not be removed: {}", record.key(), e.toString());
      return Future.succeededFuture(false);
    });
  }

  /** {@code <root>/<app>}, created if needed, refused when it resolves outside the root. */
  Future<Path> directory(String app) {
    Path dir = root.resolve(app);
    return vertx.fileSystem().mkdirs(dir.toString()).compose(v -> vertx.executeBlocking(() -> {
      Path real = dir.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        // the paths go to the log only: error bodies never name a file (docs/ARCHITECTURE.md, Registry)
        LOG.warn("the artifact directory {} resolves to {}, outside the artifact root {}", dir, real, root);
        throw new IllegalStateException("the artifact directory of " + app + " resolves outside the artifact root;"
            + " remove the symbolic link from the registry's data dir (its log names the paths)");
      }
      return real;
    }, false));
  }

  private static ArtifactRecord.Valid valid(ArtifactMeta meta) {
    return new ArtifactRecord.Valid(ConsulKeys.artifact(meta.app(), meta.version()), 0, meta);
  }
}
