package dev.baton.testsupport;

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
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP client for tests of the control plane (registry, agents, Consul, gateway admin), on the
 * JDK client: the test thread blocks, services never do. Sending {@code Host} needs
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host} in the module's failsafe argLine.
 */
public final class Http {

  /** A response: status, body, and the first value of each header (lower-case names). */
  public record Response(int status, String body, Map<String, String> headers) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** This response, or an {@link AssertionError} naming the request when the status is not 2xx. */
    public Response ok(String what) {
      if (status < 200 || status > 299) {
        throw new AssertionError(what + " answered " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final String base;
  private final Map<String, String> headers;

  public Http(String base) {
    this(base, Map.of());
  }

  private Http(String base, Map<String, String> headers) {
    this.base = base;
    this.headers = headers;
  }

  public String base() {
    return base;
  }

  /** A copy that sends {@code Authorization: Bearer <token>} with every request. */
  public Http withToken(String token) {
    return with("Authorization", "Bearer " + token);
  }

  /** A copy that sends {@code header: value} with every request. */
  public Http with(String header, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(header, value);
    return new Http(base, h);
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, Object json) {
    return send(request(path).header("Content-Type", "application/json").POST(body(json)));
  }

  public Response put(String path, Object json) {
    return send(request(path).header("Content-Type", "application/json").PUT(body(json)));
  }

  public Response putFile(String path, Path file) {
    try {
      return send(request(path).PUT(HttpRequest.BodyPublishers.ofFile(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public Response putBytes(String path, byte[] bytes) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  /** PUT of {@code bytes} with no Content-Length (chunked), as a client streaming a body of unknown size does. */
  public Response putChunked(String path, byte[] bytes) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofInputStream(
        () -> new java.io.ByteArrayInputStream(bytes))));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    headers.forEach(b::header);
    return b;
  }

  private static HttpRequest.BodyPublisher body(Object json) {
    return HttpRequest.BodyPublishers.ofString(json == null ? "" : json.toString());
  }

  private Response send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, String> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      return new Response(r.statusCode(), r.body(), h);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }
}
