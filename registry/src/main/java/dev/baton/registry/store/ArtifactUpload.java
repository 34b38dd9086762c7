package dev.baton.registry.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One upload in progress: streams the body to its temporary file while hashing it, stops at the size
 * limit or, when the upload adds bytes ({@code counted}), at the quota. The bytes it received stay
 * reserved in the quota until {@link #finish()}, after its record is written or it was refused.
 */
final class ArtifactUpload {

  /** What the body turned out to be. */
  record Hashed(String sha256, long size) {
  }

  final String app;
  final String version;
  final Path temp;
  private final long maxBytes;
  private final ArtifactQuota quota;
  private final Long recorded;
  private long reserved;

  /** {@code recorded}: bytes of the valid records when the upload started; null when it adds no bytes. */
  ArtifactUpload(String app, String version, Path temp, long maxBytes, ArtifactQuota quota, Long recorded) {
    this.app = app;
    this.version = version;
    this.temp = temp;
    this.maxBytes = maxBytes;
    this.quota = quota;
    this.recorded = recorded;
  }

  /** The quota check once the whole body is known, against {@code recordedNow} bytes of valid records. */
  void checkQuota(long recordedNow, long size) {
    quota.check(app, version, recordedNow, size, reserved, false);
  }

  /** Gives the reserved bytes back; called once, whatever the outcome. */
  void finish() {
    quota.release(reserved);
    reserved = 0;
  }

  /** Streams {@code body} (paused) into {@code file}, hashing it. */
  Future<Hashed> receive(ReadStream<Buffer> body, AsyncFile file) {
    Promise<Hashed> done = Promise.promise();
    MessageDigest digest = sha256();
    long[] size = {0};
    body.handler(buf -> {
      size[0] += buf.length();
      RuntimeException refusal = refusal(size[0], buf.length());
      if (refusal != null) {
        body.handler(null);
        file.close();
        done.tryFail(refusal);
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

  private RuntimeException refusal(long size, int more) {
    if (size > maxBytes) {
      return new ArtifactStore.TooLargeException(maxBytes);
    }
    if (recorded == null) {
      return null;
    }
    quota.reserve(more);
    reserved += more;
    try {
      quota.check(app, version, recorded, size, reserved, true);
      return null;
    } catch (ArtifactQuota.ExceededException e) {
      return e;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
