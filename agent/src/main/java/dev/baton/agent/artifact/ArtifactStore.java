package dev.baton.agent.artifact;

import dev.baton.agent.isolation.PrivateFiles;
import dev.baton.common.http.ApiException;
import dev.baton.common.http.ErrorText;
import dev.baton.common.model.ArtifactRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified artifacts, cached by sha256. A download streams to a temp file while the sha256 is computed and the
 * size is counted (over the limit: aborted); only a file whose digest matches the requested one is renamed
 * into the cache, so nothing unverified can ever run. Concurrent requests for one digest share a download.
 *
 * <p>A download from the registry carries the agent's registry token ({@link RegistryCredential}); no other host
 * gets it, and such a download follows no redirect. When the artifact's URL fails (its registry is down, or lacks
 * the bytes) or gives other bytes, the same artifact is tried on every other registry of
 * {@code BATON_REGISTRY_URL}, those passing in Consul first ({@link RegistryCredential#sources(String, List)}).
 *
 * <p>The transfer itself is a plain blocking stream copy on a worker thread (unordered, so it never delays the
 * agent's state writes): it has a per-read timeout, and it does not depend on how the server ends the body
 * (servers that close the connection after the last byte are common for static files).
 */
public final class ArtifactStore {

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 60_000;
  private static final int BUFFER = 64 * 1024;
  private static final long CONSUL_WAIT_MS = 2_000;

  private final Vertx vertx;
  private final Path dir;
  private final long maxBytes;
  private final RegistryCredential credential;
  private final Supplier<Future<List<String>>> passing;
  private final Map<String, Future<Path>> inFlight = new HashMap<>();

  /**
   * @param passing the URLs of the registries passing in Consul; only orders the configured ones
   *     ({@link RegistryCredential#sources(String, List)}), asked only when the artifact is not cached
   */
  public ArtifactStore(Vertx vertx, Path dir, long maxBytes, RegistryCredential credential,
                       Supplier<Future<List<String>>> passing) {
    this.vertx = vertx;
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.credential = credential;
    this.passing = passing;
  }

  /** The local path of the verified artifact, downloading it first when it is not cached. */
  public Future<Path> fetch(ArtifactRef ref) {
    Future<Path> running = inFlight.get(ref.sha256());
    if (running != null) {
      return running;
    }
    Future<Path> result = vertx.fileSystem().exists(dir.resolve(ref.sha256()).toString())
        .compose(cached -> cached ? Future.succeededFuture(List.<String>of()) : passingSoon())
        .compose(live -> vertx.executeBlocking(() -> fetchBlocking(ref, live), false));
    inFlight.put(ref.sha256(), result);
    return result.onComplete(ar -> inFlight.remove(ref.sha256()));
  }

  /** The passing registries, or none when Consul does not answer within {@link #CONSUL_WAIT_MS}. */
  private Future<List<String>> passingSoon() {
    Promise<List<String>> answer = Promise.promise();
    long timer = vertx.setTimer(CONSUL_WAIT_MS, t -> answer.tryComplete(List.of()));
    passing.get().onComplete(ar -> {
      vertx.cancelTimer(timer);
      answer.tryComplete(ar.succeeded() ? ar.result() : List.of());
    });
    return answer.future();
  }

  private Path fetchBlocking(ArtifactRef ref, List<String> live) {
    Path target = dir.resolve(ref.sha256());
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw cacheFailed(e);
    }
    List<String> failures = new ArrayList<>();
    for (String url : credential.sources(ref.url(), live)) {
      Path tmp = dir.resolve(".download-" + UUID.randomUUID());
      try {
        String sha = download(url, tmp);
        if (sha.equals(ref.sha256())) {
          cache(tmp, target);
          return target;
        }
        failures.add(url + " has sha256 " + sha);
      } catch (Unavailable e) {
        failures.add(url + ": " + e.getMessage());
      } finally {
        deleteQuietly(tmp);
      }
    }
    if (failures.stream().allMatch(f -> f.contains(" has sha256 "))) {
      throw new ApiException(422, "sha256_mismatch", "artifact " + ref.url() + " is not the requested sha256 "
          + ref.sha256() + " (" + String.join("; ", failures) + "); nothing was started. Check the artifact or the"
          + " digest you sent.");
    }
    throw new ApiException(502, "artifact_unavailable", "cannot download artifact " + ref.url()
        + (failures.size() > 1 ? " from any registry" : "") + ": " + String.join("; ", failures)
        + "; check that a registry of BATON_REGISTRY_URL is reachable from this agent and holds it.");
  }

  /**
   * Moves a verified download into the cache. A file-system failure is logged with its paths and answered
   * without them: error bodies never name a file (docs/ARCHITECTURE.md, Agent, "Artifacts").
   */
  private void cache(Path tmp, Path target) {
    try {
      PrivateFiles.readOnly(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw cacheFailed(e);
    }
  }

  private static ApiException cacheFailed(IOException e) {
    LOG.error("cannot write the artifact cache: {}", e.toString());
    return new ApiException(500, "artifact_cache_failed", "the agent cannot write its artifact cache ("
        + ErrorText.of(e) + "); check the agent's data dir.");
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.warn("cannot remove a partial download: {}", e.toString());
    }
  }

  /** A source that could not give the artifact; the message says why (never a local path). */
  private static final class Unavailable extends RuntimeException {
    Unavailable(String why) {
      super(why, null, false, false);
    }
  }

  /** Streams the body of {@code url} into {@code tmp}; returns the hex sha256 of what was written. */
  private String download(String url, Path tmp) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      Optional<String> token = credential.tokenFor(url);
      // A redirect would carry the token along to wherever it points: with a token, none is followed.
      connection.setInstanceFollowRedirects(token.isEmpty());
      if (token.isPresent()) {
        connection.setRequestProperty("Authorization", "Bearer " + token.get());
      }
      int status = connection.getResponseCode();
      if (status == 401 || status == 403) {
        throw new Unavailable("the server answered " + status + (token.isPresent()
            ? " to the agent's token (BATON_REGISTRY_TOKEN, else BATON_TOKEN); give the agent a token of the registry"
            : " and the agent sent no token, since the URL is not under BATON_REGISTRY_URL (" + credential.registries()
            + ") or the agent has none; set BATON_REGISTRY_URL and BATON_REGISTRY_TOKEN"));
      }
      if (status != 200) {
        throw new Unavailable("the server answered " + status);
      }
      if (connection.getContentLengthLong() > maxBytes) {
        throw tooLarge(url);
      }
      return copy(connection, url, tmp);
    } catch (IOException | IllegalArgumentException e) {
      throw new Unavailable(e.toString());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private String copy(HttpURLConnection connection, String url, Path tmp) throws IOException {
    MessageDigest digest = Sha256.digest();
    long total = 0;
    byte[] buffer = new byte[BUFFER];
    OutputStream out;
    try {
      out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw cacheFailed(e);
    }
    try (out; InputStream in = connection.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(url);
        }
        digest.update(buffer, 0, n);
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          throw cacheFailed(e);
        }
      }
    }
    return Sha256.hex(digest);
  }

  private ApiException tooLarge(String url) {
    return new ApiException(422, "artifact_too_large", "artifact " + url + " is larger than "
        + maxBytes + " bytes (BATON_MAX_ARTIFACT_BYTES); nothing was started.");
  }
}
