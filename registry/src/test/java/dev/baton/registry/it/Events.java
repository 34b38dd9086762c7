package dev.baton.registry.it;

import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry's event stream of one app (null: of all), read line by line in the background. */
final class Events implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final InputStream body;

  Events(Stack stack, String app) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest sse = HttpRequest.newBuilder(URI.create(stack.registry().url() + "/v1/events"
        + (app == null ? "" : "?app=" + app)))
        .header("Authorization", "Bearer " + stack.tokens().read()).build();
    body = client.send(sse, HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (Exception ignored) {
        // closed at the end of the test
      }
    }, "events-" + app);
    reader.setDaemon(true);
    reader.start();
    Poll.until(Duration.ofSeconds(10), () -> lines.stream().anyMatch(l -> l.startsWith(": subscribed")),
        "the event stream to open");
  }

  List<String> kinds() {
    return lines.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
  }

  /** The data of every event of {@code kind}, in order. */
  List<JsonObject> data(String kind) {
    List<JsonObject> out = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).equals("event: " + kind) && lines.get(i + 1).startsWith("data: ")) {
        out.add(new JsonObject(lines.get(i + 1).substring(6)));
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    body.close();
  }
}
