package dev.baton.registry.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A blocking HTTP client for tests (JDK client; tests block, services never do). Sending {@code Host}
 * needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}, set by the module's failsafe argLine.
 */
public final class Http {

  /** A response: status, body, headers' first values. */
  public record Response(int status, String body, Map<String, String> headers) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public Http(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  public Http with(String header, String value) {
    Http copy = new Http(base);
    copy.headers.putAll(headers);
    copy.headers.put(header, value);
    return copy;
  }

  public Response get(String path) {
    return send(request(path).GET().build());
  }

  public Response delete(String path) {
    return send(request(path).DELETE().build());
  }

  public Response post(String path, Object json) {
    return send(request(path).POST(body(json)).build());
  }

  public Response put(String path, Object json) {
    return send(request(path).PUT(body(json)).build());
  }

  public Response putFile(String path, Path file) {
    try {
      return send(request(path).PUT(HttpRequest.BodyPublishers.ofFile(file)).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Response putBytes(String path, byte[] bytes) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    return b;
  }

  private static HttpRequest.BodyPublisher body(Object json) {
    return HttpRequest.BodyPublishers.ofString(json == null ? "" : json instanceof String s ? s : json.toString());
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, String> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      return new Response(r.statusCode(), r.body(), h);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
