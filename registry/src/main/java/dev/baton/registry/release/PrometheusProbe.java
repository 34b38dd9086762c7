package dev.baton.registry.release;

import dev.baton.common.model.Analysis;
import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.PrometheusCheck;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.hooks.PrometheusClient;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks a release's Prometheus queries before the controller's look at it, so the planners judge the answers purely
 * ({@link PrometheusAnalysis}). Only while an analysis may judge (PROGRESSING, not aborting), at most every half
 * interval (5 s at most) per release: between two asks the last answers are reused. Runs on the controller's context.
 */
final class PrometheusProbe {

  private final PrometheusClient client;
  private final Map<String, PrometheusReadings> last = new HashMap<>();

  PrometheusProbe(PrometheusClient client) {
    this.client = client;
  }

  /** {@code observed} with the answers of {@code r}'s queries, when it has some to ask. */
  Future<Observed> attach(Release r, Observed observed) {
    Analysis a = analysis(r);
    if (a == null || a.prometheus() == null || r.phase() != ReleasePhase.PROGRESSING
        || ReleaseState.of(r).aborting()) {
      last.remove(r.id());
      return Future.succeededFuture(observed);
    }
    PrometheusReadings prev = last.get(r.id());
    if (prev != null && observed.nowMs() - prev.atMs() < Math.min(5_000L, a.intervalSeconds() * 500L)) {
      return Future.succeededFuture(observed.withPrometheus(prev));
    }
    PrometheusCheck c = a.prometheus();
    List<Future<PrometheusClient.Answer>> asked = new ArrayList<>();
    for (PrometheusCheck.Query q : c.queries()) {
      asked.add(client.query(c.url(), PrometheusCheck.render(q.query(), r.app(), r.toVersion(), r.fromVersion(),
          a.intervalSeconds())));
    }
    return Future.join(asked).transform(done -> {
      Map<String, PrometheusReadings.Reading> byName = new HashMap<>();
      for (int i = 0; i < asked.size(); i++) {
        PrometheusClient.Answer ans = asked.get(i).result();
        byName.put(c.queries().get(i).name(), new PrometheusReadings.Reading(ans.value(), ans.error()));
      }
      PrometheusReadings readings = new PrometheusReadings(observed.nowMs(), byName);
      last.put(r.id(), readings);
      return Future.succeededFuture(observed.withPrometheus(readings));
    });
  }

  void forget(String releaseId) {
    last.remove(releaseId);
  }

  /** The analysis that judges {@code r} now: a canary's; a blue-green release's once it switched (its bake). */
  static Analysis analysis(Release r) {
    if (r.strategy() instanceof CanaryStrategy c) {
      return c.analysis() != null ? c.analysis() : c.bakeSeconds() > 0 ? Analysis.defaults() : null;
    }
    if (r.strategy() instanceof BlueGreenStrategy bg && bg.bakeSeconds() > 0 && r.step() == 1) {
      return bg.analysis();
    }
    return null;
  }
}
