package dev.baton.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthGate#check}, the single probe made before a lost registration is restored, against a real HTTP
 * server: only a 200 with the expected version passes; a server that never answers (a frozen process) fails
 * within the probe's request timeout.
 */
class HealthGateCheckTest {

  static Vertx vertx;
  static HttpServer server;
  static HealthGate gate;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(req -> {
      switch (req.path()) {
        case "/health" -> req.response().putHeader("Content-Type", "application/json").end("{\"version\":\"1.0.0\"}");
        case "/down" -> req.response().setStatusCode(503).end();
        case "/hang" -> { } // never answers, like a process stopped with SIGSTOP
        default -> req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx);
    // A first request loads the client's classes and connects: on a busy host that alone can take longer than
    // the probe's 1 s timeout, which the tests below are about, so it happens here, without a timeout.
    await(client.get(server.actualPort(), "127.0.0.1", "/health").send());
    gate = new HealthGate(vertx, client, 60_000, 250, true);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String failure(String path, String version) {
    Throwable e = assertThatThrownBy(() -> await(gate.check("127.0.0.1", server.actualPort(), path, version)))
        .isInstanceOf(ExecutionException.class).actual().getCause();
    assertThat(e).isInstanceOf(ApiException.class);
    return e.getMessage();
  }

  @Test
  void aHealthyInstanceWithTheExpectedVersionPasses() throws Exception {
    await(gate.check("127.0.0.1", server.actualPort(), "/health", "1.0.0"));
  }

  @Test
  void aWrongVersionFails() {
    assertThat(failure("/health", "2.0.0")).contains("/health did not pass").contains("expected 2.0.0");
  }

  @Test
  void anUnhealthyAnswerFailsWithoutRetrying() {
    assertThat(failure("/down", "1.0.0")).contains("/down did not pass").contains("503");
  }

  @Test
  void aServerThatNeverAnswersFailsOnTheRequestTimeout() {
    // One probe ends on its request timeout; the 60 s gate would outlast the 30 s wait of await().
    assertThat(failure("/hang", "1.0.0")).contains("/hang did not pass").contains("timeout");
  }
}
