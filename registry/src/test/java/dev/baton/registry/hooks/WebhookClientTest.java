package dev.baton.registry.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook client against real servers: answers, no answer, a redirect, a certificate nobody vouches for. */
class WebhookClientTest {

  private final Vertx vertx = Vertx.vertx();
  // Held for the whole test: Vert.x 5 closes an HTTP client that nothing references any more ("Pool closed").
  private final WebhookClient client = new WebhookClient(vertx);

  @AfterEach
  void close() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private WebhookClient.Reply post(String url) throws Exception {
    CompletableFuture<WebhookClient.Reply> out = new CompletableFuture<>();
    vertx.runOnContext(v -> client.post(url, "{}".getBytes(), Map.of(), 5000)
        .onComplete(ar -> out.complete(ar.result())));
    return out.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aSelfSignedCertificateIsNoAnswerAndARedirectIsNotFollowed() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
        .requestHandler(req -> req.response().end("secret"));
    int port = https.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    WebhookClient.Reply reply = post("https://localhost:" + port + "/gate");
    assertThat(reply.status()).as("a certificate no trusted CA signed is refused: %s", reply).isZero();
    assertThat(reply.describe()).startsWith("no answer after ").contains("SSL");

    HttpServer http = vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode(302)
        .putHeader("Location", "http://127.0.0.1:9/elsewhere").end());
    int plain = http.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    assertThat(post("http://127.0.0.1:" + plain + "/gate").status()).as("the 302 itself is the answer").isEqualTo(302);
    assertThat(post("http://127.0.0.1:9/closed").describe()).startsWith("no answer after ");
  }
}
