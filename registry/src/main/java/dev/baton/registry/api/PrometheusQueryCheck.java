package dev.baton.registry.api;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.Analysis;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.PrometheusCheck;
import dev.baton.common.model.Strategy;
import dev.baton.registry.hooks.PrometheusClient;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * At release creation, asks Prometheus each query of the strategy's analysis once, rendered for this release
 * (docs/registry-api.md, "Canary analysis"): a query Prometheus refuses ({@code 400 bad_data}) refuses the release with
 * 400 {@code invalid_query} and Prometheus's message, nothing started. A Prometheus that does not answer, or any other
 * answer, lets the release start: its intervals then fail with the message.
 */
final class PrometheusQueryCheck {

  private final PrometheusClient client;

  PrometheusQueryCheck(PrometheusClient client) {
    this.client = client;
  }

  Future<Void> check(String app, String from, String to, Strategy strategy) {
    String path = "strategy.analysis.prometheus.queries";
    Analysis a = strategy instanceof CanaryStrategy c ? c.analysis()
        : strategy instanceof BlueGreenStrategy bg ? bg.analysis() : null;
    if (client == null || a == null || a.prometheus() == null) {
      return Future.succeededFuture();
    }
    PrometheusCheck p = a.prometheus();
    List<Future<PrometheusClient.Answer>> asked = new ArrayList<>();
    for (PrometheusCheck.Query q : p.queries()) {
      asked.add(client.query(p.url(), PrometheusCheck.render(q.query(), app, to, from, a.intervalSeconds())));
    }
    return Future.join(asked).transform(done -> {
      for (int i = 0; i < asked.size(); i++) {
        PrometheusClient.Answer ans = asked.get(i).result();
        if (ans.refused()) {
          return Future.failedFuture(new ApiException(400, "invalid_query", path + "[" + i + "] (\""
              + p.queries().get(i).name() + "\"): " + ans.error() + "; fix the PromQL and send the release again"));
        }
      }
      return Future.succeededFuture();
    });
  }
}
