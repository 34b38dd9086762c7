package dev.baton.testsupport.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A quick GET for asking hosts that may be dead or cut off: a two-second deadline on the whole exchange. A host
 * whose link went down leaves kept-alive connections that no longer answer, on which a plain client waits for its
 * full request timeout; a fleet question ("who leads?") must not.
 */
final class Probe {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT).build();

  private Probe() {
  }

  /** The body of a 200 answer to {@code GET url} (with {@code token} as a bearer token when not null), if any came. */
  static Optional<String> get(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
