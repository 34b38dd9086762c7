package dev.baton.agent.artifact;

import dev.baton.agent.AgentException;
import dev.baton.common.model.ArtifactRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Verified artifacts, cached by sha256. A download streams to a temp file while the sha256 is computed and the
 * size is counted (over the limit: aborted); only a file whose digest matches the requested one is renamed
 * into the cache, so nothing unverified can ever run. Concurrent requests for one digest share a download.
 */
public final class ArtifactStore {

  private static final long REQUEST_TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final Path dir;
  private final long maxBytes;
  private final Map<String, Future<Path>> inFlight = new HashMap<>();

  public ArtifactStore(Vertx vertx, HttpClient client, Path dir, long maxBytes) {
    this.vertx = vertx;
    this.client = client;
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** The local path of the verified artifact, downloading it first when it is not cached. */
  public Future<Path> fetch(ArtifactRef ref) {
    Path cached = dir.resolve(ref.sha256());
    Future<Path> running = inFlight.get(ref.sha256());
    if (running != null) {
      return running;
    }
    Future<Path> result = vertx.fileSystem().exists(cached.toString())
        .compose(exists -> exists ? Future.succeededFuture(cached) : download(ref, cached));
    inFlight.put(ref.sha256(), result);
    return result.onComplete(ar -> inFlight.remove(ref.sha256()));
  }

  private Future<Path> download(ArtifactRef ref, Path target) {
    Path tmp = dir.resolve(".download-" + UUID.randomUUID());
    return vertx.fileSystem().mkdirs(dir.toString())
        .compose(v -> vertx.fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> stream(ref, file).eventually(file::close))
        .compose(sha -> {
          if (!sha.equals(ref.sha256())) {
            return Future.failedFuture(new AgentException(422, "sha256_mismatch", "artifact " + ref.url()
                + " has sha256 " + sha + " but " + ref.sha256() + " was requested; nothing was started. "
                + "Check the artifact or the digest you sent."));
          }
          return vertx.fileSystem().move(tmp.toString(), target.toString(),
              new CopyOptions().setAtomicMove(true).setReplaceExisting(true));
        })
        .map(v -> target)
        .onFailure(e -> vertx.fileSystem().delete(tmp.toString()));
  }

  /** Streams the body into {@code file}; completes with the hex sha256 of what was written. */
  private Future<String> stream(ArtifactRef ref, AsyncFile file) {
    MessageDigest digest = sha256();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(ref.url())
        .setIdleTimeout(REQUEST_TIMEOUT_MS);
    return client.request(options)
        .compose(req -> req.send().compose(resp -> receive(ref, req, resp, file, digest)))
        .recover(e -> Future.failedFuture(e instanceof AgentException ? e : unavailable(ref, e.getMessage())))
        .map(v -> HexFormat.of().formatHex(digest.digest()));
  }

  private Future<Void> receive(ArtifactRef ref, HttpClientRequest req, HttpClientResponse resp, AsyncFile file,
                               MessageDigest digest) {
    if (resp.statusCode() != 200) {
      return Future.failedFuture(unavailable(ref, "the server answered " + resp.statusCode()));
    }
    String length = resp.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
      req.reset();
      return Future.failedFuture(tooLarge(ref));
    }
    Promise<Void> done = Promise.promise();
    long[] size = {0};
    resp.handler(buf -> {
      size[0] += buf.length();
      if (size[0] > maxBytes) {
        done.tryFail(tooLarge(ref));
        req.reset();
        return;
      }
      digest.update(buf.getBytes());
      file.write(buf);
      if (file.writeQueueFull()) {
        resp.pause();
        file.drainHandler(v -> resp.resume());
      }
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete());
    return done.future().compose(v -> file.flush());
  }

  private AgentException tooLarge(ArtifactRef ref) {
    return new AgentException(422, "artifact_too_large", "artifact " + ref.url() + " is larger than "
        + maxBytes + " bytes (BATON_MAX_ARTIFACT_BYTES); nothing was started.");
  }

  private static AgentException unavailable(ArtifactRef ref, String why) {
    return new AgentException(502, "artifact_unavailable", "cannot download artifact " + ref.url() + ": " + why
        + "; check the URL and that the registry is reachable from this agent.");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
