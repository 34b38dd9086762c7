package dev.baton.registry.hooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Evaluates one PromQL query at a Prometheus server's {@code /api/v1/query} (docs/registry-api.md, "Canary
 * analysis"). Its own client: no credential of baton's goes to Prometheus (SECURITY.md). Never fails: every outcome is
 * an {@link Answer}.
 */
public final class PrometheusClient {

  /** How long a query may take, connection included. */
  public static final long TIMEOUT_MS = 5_000;

  private final WebClient client;

  public PrometheusClient(Vertx vertx) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) TIMEOUT_MS)
        .setFollowRedirects(false).setKeepAlive(true).setUserAgent("baton-registry"));
  }

  /**
   * One number ({@code value}), or no sample (value and error null), or why not: {@code refused} when Prometheus
   * answered 400 {@code bad_data} (the query itself is wrong), {@code unreachable} when it did not answer.
   */
  public record Answer(Double value, String error, boolean refused, boolean unreachable) {

    static Answer of(Double value) {
      return new Answer(value, null, false, false);
    }

    static Answer failed(String error) {
      return new Answer(null, error, false, false);
    }
  }

  public Future<Answer> query(String baseUrl, String promql) {
    return client.getAbs(baseUrl + "/api/v1/query").addQueryParam("query", promql).timeout(TIMEOUT_MS).send()
        .map(PrometheusClient::read)
        .recover(e -> Future.succeededFuture(new Answer(null, "Prometheus at " + baseUrl + " did not answer: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), false, true)));
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  static Answer read(HttpResponse<io.vertx.core.buffer.Buffer> resp) {
    JsonObject body;
    try {
      body = resp.bodyAsJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      return Answer.failed("Prometheus answered HTTP " + resp.statusCode() + " without a JSON body");
    }
    if (!"success".equals(body.getString("status"))) {
      String why = body.getString("errorType", "error") + ": " + body.getString("error", "no message");
      return new Answer(null, "Prometheus refused the query (" + why + ")",
          resp.statusCode() == 400 && "bad_data".equals(body.getString("errorType")), false);
    }
    JsonObject data = body.getJsonObject("data", new JsonObject());
    String type = data.getString("resultType", "");
    if ("scalar".equals(type)) {
      return Answer.of(number(data.getJsonArray("result")));
    }
    if (!"vector".equals(type)) {
      return Answer.failed("the query returns a " + type + ", not one number; use an instant vector or a scalar");
    }
    JsonArray result = data.getJsonArray("result", new JsonArray());
    if (result.isEmpty()) {
      return Answer.of(null);
    }
    if (result.size() > 1) {
      return Answer.failed("the query returns " + result.size() + " series, not one; aggregate it, e.g. sum(...)");
    }
    return Answer.of(number(result.getJsonObject(0).getJsonArray("value")));
  }

  /** The value of a {@code [time, "value"]} pair ("NaN", "+Inf" included). */
  private static Double number(JsonArray pair) {
    return pair == null || pair.size() < 2 ? null : Double.valueOf(pair.getString(1).replace("Inf", "Infinity"));
  }
}
