package dev.baton.registry.peer;

import dev.baton.common.model.ArtifactMeta;
import dev.baton.registry.store.ArtifactStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The calls one registry makes to another, with the fleet's shared operator token ({@code BATON_TOKEN}) and
 * only to a {@link Peer} found by {@link RegistryPeers}: a download of an artifact's bytes that the peer must
 * answer from its own disk ({@link #LOCAL_ONLY}: a peer never fetches on another's behalf, so two registries
 * that both lack the bytes cannot ask each other in a circle), and the request to hold an artifact.
 */
public final class PeerClient {

  /** Header of a peer's download: answer from this registry's disk only; its value is the asking registry. */
  public static final String LOCAL_ONLY = "X-Baton-Peer-Fetch";
  private static final long CONNECT_TIMEOUT_MS = 5_000;
  private static final long IDLE_TIMEOUT_MS = 60_000;

  private final HttpClientAgent http;
  private final Optional<String> token;
  private final String self;

  public PeerClient(Vertx vertx, Optional<String> token, String self) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    this.token = token;
    this.self = self;
  }

  /** Streams {@code meta}'s bytes from {@code peer} into {@code store}, which checks them against the record. */
  public Future<Void> fetch(Peer peer, ArtifactMeta meta, ArtifactStore store) {
    RequestOptions get = options(HttpMethod.GET, peer, path(meta), IDLE_TIMEOUT_MS).putHeader(LOCAL_ONLY, self);
    return http.request(get).compose(HttpClientRequest::send).compose(resp -> {
      resp.pause(); // nothing may be lost while the file is being opened
      return resp.statusCode() == 200 ? store.adopt(meta, resp) : refused(peer, resp);
    });
  }

  /** Asks {@code peer} to hold {@code meta}; succeeds once it answers that it holds bytes of the same sha256. */
  public Future<Void> askToHold(Peer peer, ArtifactMeta meta, long timeoutMs) {
    RequestOptions post = options(HttpMethod.POST, peer, path(meta) + "/replica?from=" + self, timeoutMs);
    return http.request(post).compose(HttpClientRequest::send).compose(resp -> {
      if (resp.statusCode() != 200) {
        return refused(peer, resp);
      }
      return resp.body().map(b -> {
        String sha = new JsonObject(b).getString("sha256");
        if (!meta.sha256().equals(sha)) {
          throw new IllegalStateException("it answered sha256 " + sha + " instead of " + meta.sha256());
        }
        return null;
      });
    });
  }

  /** Tells {@code peer} that {@code meta}'s record is gone: it removes its copy (it checks KV itself). */
  public Future<Void> askToDrop(Peer peer, ArtifactMeta meta, long timeoutMs) {
    RequestOptions delete = options(HttpMethod.DELETE, peer, path(meta) + "/replica?sha256=" + meta.sha256(),
        timeoutMs);
    return http.request(delete).compose(HttpClientRequest::send)
        .compose(resp -> resp.statusCode() == 200 ? resp.body().<Void>mapEmpty() : refused(peer, resp));
  }

  public Future<Void> close() {
    return http.close();
  }

  private RequestOptions options(HttpMethod method, Peer peer, String path, long idleMs) {
    RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(peer.url() + path)
        .setConnectTimeout(CONNECT_TIMEOUT_MS).setIdleTimeout(idleMs).setFollowRedirects(false);
    token.ifPresent(t -> o.putHeader("Authorization", "Bearer " + t));
    return o;
  }

  private static String path(ArtifactMeta meta) {
    return "/v1/artifacts/" + meta.app() + "/" + meta.version();
  }

  /** The peer's answer as a failure: its status and error code, never more of a body than that. */
  private static <T> Future<T> refused(Peer peer, HttpClientResponse resp) {
    return resp.body().recover(e -> Future.succeededFuture(Buffer.buffer())).compose(b -> {
      String code;
      try {
        code = new JsonObject(b).getString("error");
      } catch (RuntimeException e) {
        code = null;
      }
      return Future.failedFuture(new IllegalStateException("it answered " + resp.statusCode()
          + (code == null ? "" : " " + code)));
    });
  }
}
