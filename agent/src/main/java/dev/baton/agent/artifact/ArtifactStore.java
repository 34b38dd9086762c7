package dev.baton.agent.artifact;

import dev.baton.agent.isolation.PrivateFiles;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.ArtifactRef;
import io.vertx.core.Future;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Verified artifacts, cached by sha256. A download streams to a temp file while the sha256 is computed and the
 * size is counted (over the limit: aborted); only a file whose digest matches the requested one is renamed
 * into the cache, so nothing unverified can ever run. Concurrent requests for one digest share a download.
 *
 * <p>A download from the registry carries the agent's registry token ({@link RegistryCredential}); no other host
 * gets it, and such a download follows no redirect.
 *
 * <p>The transfer itself is a plain blocking stream copy on a worker thread (unordered, so it never delays the
 * agent's state writes): it has a per-read timeout, and it does not depend on how the server ends the body
 * (servers that close the connection after the last byte are common for static files).
 */
public final class ArtifactStore {

  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 60_000;
  private static final int BUFFER = 64 * 1024;

  private final Vertx vertx;
  private final Path dir;
  private final long maxBytes;
  private final RegistryCredential credential;
  private final Map<String, Future<Path>> inFlight = new HashMap<>();

  public ArtifactStore(Vertx vertx, Path dir, long maxBytes, RegistryCredential credential) {
    this.vertx = vertx;
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.credential = credential;
  }

  /** The local path of the verified artifact, downloading it first when it is not cached. */
  public Future<Path> fetch(ArtifactRef ref) {
    Future<Path> running = inFlight.get(ref.sha256());
    if (running != null) {
      return running;
    }
    Future<Path> result = vertx.executeBlocking(() -> fetchBlocking(ref), false);
    inFlight.put(ref.sha256(), result);
    return result.onComplete(ar -> inFlight.remove(ref.sha256()));
  }

  private Path fetchBlocking(ArtifactRef ref) throws IOException {
    Path target = dir.resolve(ref.sha256());
    if (Files.isRegularFile(target)) {
      return target;
    }
    Files.createDirectories(dir);
    Path tmp = dir.resolve(".download-" + UUID.randomUUID());
    try {
      String sha = download(ref, tmp);
      if (!sha.equals(ref.sha256())) {
        throw new ApiException(422, "sha256_mismatch", "artifact " + ref.url() + " has sha256 " + sha + " but "
            + ref.sha256() + " was requested; nothing was started. Check the artifact or the digest you sent.");
      }
      PrivateFiles.readOnly(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Streams the body into {@code tmp}; returns the hex sha256 of what was written. */
  private String download(ArtifactRef ref, Path tmp) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(ref.url()).toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      Optional<String> token = credential.tokenFor(ref.url());
      // A redirect would carry the token along to wherever it points: with a token, none is followed.
      connection.setInstanceFollowRedirects(token.isEmpty());
      if (token.isPresent()) {
        connection.setRequestProperty("Authorization", "Bearer " + token.get());
      }
      int status = connection.getResponseCode();
      if (status == 401 || status == 403) {
        throw unavailable(ref, "the server answered " + status + (token.isPresent()
            ? " to the agent's token (BATON_REGISTRY_TOKEN, else BATON_TOKEN); give the agent a token of the registry"
            : " and the agent sent no token, since the URL is not under BATON_REGISTRY_URL (" + credential.registry()
            + ") or the agent has none; set BATON_REGISTRY_URL and BATON_REGISTRY_TOKEN"));
      }
      if (status != 200) {
        throw unavailable(ref, "the server answered " + status);
      }
      if (connection.getContentLengthLong() > maxBytes) {
        throw tooLarge(ref);
      }
      MessageDigest digest = Sha256.digest();
      long total = 0;
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = connection.getInputStream();
           OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          total += n;
          if (total > maxBytes) {
            throw tooLarge(ref);
          }
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      return Sha256.hex(digest);
    } catch (IOException | IllegalArgumentException e) {
      throw unavailable(ref, e.toString());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private ApiException tooLarge(ArtifactRef ref) {
    return new ApiException(422, "artifact_too_large", "artifact " + ref.url() + " is larger than "
        + maxBytes + " bytes (BATON_MAX_ARTIFACT_BYTES); nothing was started.");
  }

  private static ApiException unavailable(ArtifactRef ref, String why) {
    return new ApiException(502, "artifact_unavailable", "cannot download artifact " + ref.url() + ": " + why
        + "; check the URL and that the registry is reachable from this agent.");
  }
}
