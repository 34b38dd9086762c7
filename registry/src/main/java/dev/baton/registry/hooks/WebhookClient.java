package dev.baton.registry.hooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/**
 * POSTs a body to a user's URL (a gate or a notification receiver; any host, docs/registry-api.md "Gates") and reads
 * the answer's status and the start of its body. Its own HTTP client, which carries no credential of baton's: the
 * operator token is never sent to a webhook (SECURITY.md). Redirects are not followed. Never fails: a connection
 * error or a timeout is an {@link Reply} with status 0 and the error.
 */
public final class WebhookClient {

  /** How much of an answer's body is kept (history, events). */
  public static final int EXCERPT = 200;
  private static final int READ_LIMIT = 4096;

  private final HttpClient client;

  public WebhookClient(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000).setKeepAlive(false)
        .setVerifyHost(true).setMaxRedirects(0));
  }

  /** An answer: HTTP status (0: none), time taken, the start of the body, or the error when there was no answer. */
  public record Reply(int status, long ms, String body, String error) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** {@code 503 in 12 ms: 'not yet'} or {@code no answer after 5000 ms: connection refused}. */
    public String describe() {
      if (status == 0) {
        return "no answer after " + ms + " ms: " + error;
      }
      return status + " in " + ms + " ms" + (body == null || body.isBlank() ? "" : ": '" + body + "'");
    }
  }

  public Future<Reply> post(String url, byte[] body, Map<String, String> headers, long timeoutMs) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setIdleTimeout(timeoutMs).setConnectTimeout(Math.min(timeoutMs, 5000)).setFollowRedirects(false)
        .putHeader("Content-Type", "application/json").putHeader("User-Agent", "baton-registry");
    headers.forEach(options::putHeader);
    return client.request(options).compose(req -> req.send(Buffer.buffer(body)).compose(resp -> {
      Buffer read = Buffer.buffer();
      resp.handler(chunk -> {
        if (read.length() < READ_LIMIT) {
          read.appendBuffer(chunk.length() > READ_LIMIT - read.length() ? chunk.slice(0, READ_LIMIT - read.length())
              : chunk);
        }
      });
      return resp.end().map(v -> new Reply(resp.statusCode(), elapsed(start), excerpt(read.toString()), null));
    })).recover(e -> Future.succeededFuture(new Reply(0, elapsed(start), null, e.getMessage() == null
        ? e.getClass().getSimpleName() : e.getMessage())));
  }

  public Future<Void> close() {
    return client.close();
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** One line, at most {@value #EXCERPT} characters. */
  static String excerpt(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ").strip();
    return one.length() > EXCERPT ? one.substring(0, EXCERPT - 3) + "..." : one;
  }
}
