package dev.baton.registry.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The answers of Prometheus's {@code /api/v1/query} as the client reads them, from a real HTTP server answering what
 * Prometheus answers (the real Prometheus is in CanaryAnalysisIT; these shapes are the ones it cannot be made to give
 * on demand there).
 */
class PrometheusClientTest {

  private final Vertx vertx = Vertx.vertx();

  /** Query text -> [status, body]. */
  static final Map<String, Object[]> ANSWERS = Map.of(
      "one", new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
          + "[{\"metric\":{},\"value\":[1700000000.1,\"0.25\"]}]}}"},
      "none", new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"},
      "two", new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
          + "[{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"2\"},\"value\":[1,\"2\"]}]}}"},
      "scalar", new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"+Inf\"]}}"},
      "range", new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"},
      "typo", new Object[] {400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error\"}"},
      "slow", new Object[] {422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}"});

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachShapeOfAnswerBecomesAValueNoSampleOrAReason() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      Object[] a = ANSWERS.get(req.getParam("query"));
      req.response().setStatusCode(req.path().equals("/prom/api/v1/query") ? (int) a[0] : 404)
          .putHeader("Content-Type", "application/json").end((String) a[1]);
    });
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    PrometheusClient client = new PrometheusClient(vertx);
    String url = "http://127.0.0.1:" + port + "/prom";
    assertThat(ask(client, url, "one")).isEqualTo(new PrometheusClient.Answer(0.25, null, false, false));
    assertThat(ask(client, url, "none")).isEqualTo(new PrometheusClient.Answer(null, null, false, false));
    assertThat(ask(client, url, "two").error()).isEqualTo("the query returns 2 series, not one; aggregate it, e.g. sum(...)");
    assertThat(ask(client, url, "scalar").value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ask(client, url, "range").error()).contains("returns a matrix, not one number");
    PrometheusClient.Answer typo = ask(client, url, "typo");
    assertThat(typo.refused()).as("a query Prometheus cannot parse is refused").isTrue();
    assertThat(typo.error()).isEqualTo("Prometheus refused the query (bad_data: 1:5: parse error)");
    PrometheusClient.Answer slow = ask(client, url, "slow");
    assertThat(slow.refused()).as("a failed evaluation is not the query's fault").isFalse();
    assertThat(slow.error()).contains("execution: query timed out");
    PrometheusClient.Answer closed = ask(client, "http://127.0.0.1:" + FreePorts.find(), "one");
    assertThat(closed.unreachable()).isTrue();
    assertThat(closed.error()).startsWith("Prometheus at http://127.0.0.1:").contains("did not answer");
  }

  private static PrometheusClient.Answer ask(PrometheusClient c, String url, String q) throws Exception {
    return c.query(url, q).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
