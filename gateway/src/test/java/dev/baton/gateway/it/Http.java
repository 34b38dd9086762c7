package dev.baton.gateway.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Blocking HTTP for tests (the test thread is not an event loop): JDK client, and raw sockets for hostile bytes. */
final class Http implements AutoCloseable {

  /** A response: status, version header, body. */
  record Reply(int status, String batonVersion, String body, Map<String, java.util.List<String>> headers) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static {
    // Tests route by Host; the JDK client refuses to set it unless allowed before its first use.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();

  Reply get(String url, String... headers) {
    return send("GET", url, null, headers);
  }

  Reply send(String method, String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().firstValue("X-Baton-Version").orElse(null), r.body(),
          r.headers().map());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(method + " " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  java.util.concurrent.CompletableFuture<Reply> getAsync(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Reply(r.statusCode(), r.headers().firstValue("X-Baton-Version").orElse(null), r.body(),
            r.headers().map()));
  }

  /** Sends raw bytes and reads until the server closes or {@code wait} passes; "<EOF>" marks a close. */
  static String raw(int port, String request, Duration wait) {
    return rawFrom("127.0.0.1", port, request, wait);
  }

  /** {@link #raw} from the loopback address {@code local} (127.0.0.0/8), so a test can be a different peer. */
  static String rawFrom(String local, int port, String request, Duration wait) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(local, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout((int) wait.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readAll(s.getInputStream());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String readAll(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      sb.append("<EOF>");
    } catch (SocketTimeoutException e) {
      sb.append("<OPEN>");
    } catch (IOException e) {
      sb.append("<RESET>");
    }
    return sb.toString();
  }

  /** The status code of a raw response, or -1. */
  static int status(String raw) {
    if (!raw.startsWith("HTTP/1.")) {
      return -1;
    }
    return Integer.parseInt(raw.substring(9, 12));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
