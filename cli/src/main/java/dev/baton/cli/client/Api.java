package dev.baton.cli.client;

import dev.baton.cli.config.Target;
import dev.baton.cli.io.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The registry's HTTP API (docs/registry-api.md) with the target's token, over the JDK's HttpClient. Every call
 * returns the parsed JSON or throws a {@link CliException} whose one line says what to do.
 */
public final class Api {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Target target;
  private HttpClient plain;
  private HttpClient tls;

  public Api(Target target) {
    this.target = target;
  }

  /** The client for {@code uri}: plain HTTP never pays for loading a trust store (a CLI starts on every command). */
  private synchronized HttpClient http(URI uri) {
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      if (tls == null) {
        tls = Tls.client(target.ca(), Duration.ofSeconds(10));
      }
      return tls;
    }
    if (plain == null) {
      plain = Tls.plainClient(Duration.ofSeconds(10));
    }
    return plain;
  }

  public Target target() {
    return target;
  }

  public Object get(String path) {
    return call(request(path).GET().timeout(CALL_TIMEOUT));
  }

  public Object post(String path, Object body) {
    return call(request(path).timeout(CALL_TIMEOUT).header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  public Object put(String path, Object body) {
    return call(request(path).timeout(CALL_TIMEOUT).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  public Object delete(String path) {
    return call(request(path).timeout(CALL_TIMEOUT).DELETE());
  }

  /**
   * Streams {@code file} as the body of a PUT, calling {@code progress} with the bytes sent so far. No overall
   * timeout: a big artifact on a slow link takes what it takes (the registry answers once every peer has it).
   */
  public Object upload(String path, Path file, LongConsumer progress) throws IOException {
    long size = Files.size(file);
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size);
    return call(request(path).header("Content-Type", "application/java-archive").PUT(body));
  }

  /** Lines of a long-lived response (an SSE stream, a followed log), read until the server or the caller ends it. */
  public Stream<String> lines(String absoluteUrl, String what) {
    return lines(absoluteUrl, what, target.token());
  }

  /** As {@link #lines(String, String)}, sending {@code token} (null: none) instead of the target's. */
  public Stream<String> lines(String absoluteUrl, String what, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(absoluteUrl)).header("User-Agent", "baton-cli");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Accept", "text/event-stream, text/plain").GET();
    HttpResponse<Stream<String>> r = send(b.build(), HttpResponse.BodyHandlers.ofLines(), what, absoluteUrl);
    if (r.statusCode() >= 300) {
      String body = String.join("\n", r.body().limit(20).toList());
      throw Failures.status(what, absoluteUrl, r.statusCode(), body, target);
    }
    return r.body();
  }

  /** A registry path's lines (e.g. {@code /v1/events?app=shop}). */
  public Stream<String> lines(String path) {
    return lines(target.registry() + path, "registry");
  }

  private Object call(HttpRequest.Builder b) {
    HttpRequest req = b.build();
    HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString(), "registry", target.registry());
    if (r.statusCode() >= 300) {
      throw Failures.status("registry", target.registry(), r.statusCode(), r.body(), target);
    }
    String body = r.body();
    return body == null || body.isBlank() ? null : Json.parse(body);
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what, String url) {
    try {
      return http(req.uri()).send(req, handler);
    } catch (IOException e) {
      throw Failures.unreachable(what, url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  private HttpRequest.Builder request(String path) {
    return authorized(HttpRequest.newBuilder(URI.create(target.registry() + path)));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    b.header("User-Agent", "baton-cli");
    return target.token() == null ? b : b.header("Authorization", "Bearer " + target.token());
  }

  private static InputStream counting(Path file, LongConsumer progress) {
    try {
      return new FilterInputStream(Files.newInputStream(file)) {
        private long sent;

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            sent += n;
            progress.accept(sent);
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
