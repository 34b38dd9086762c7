package dev.baton.registry.release;

import dev.baton.common.model.Release;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A canary release's analysis history: every interval's numbers and verdict, oldest first, in
 * {@code progress.analysisHistory}, so it is persisted with the release and survives a failover; the last
 * {@value #LIMIT} are kept (docs/registry-api.md, "Canary analysis"). Each new interval is also published as a
 * {@code release.analysis} event. Pure.
 */
final class AnalysisHistory {

  static final int LIMIT = 100;

  private AnalysisHistory() {
  }

  /** {@code r} with {@code interval} appended (it carries {@code toMs}, its window's end), the oldest dropped past the limit. */
  static Release append(Release r, JsonObject interval) {
    return ReleaseState.withCanary(r, c -> c.withInterval(interval, LIMIT));
  }

  /** The intervals of {@code after} that {@code before} did not have (windows ending after its last one). */
  static List<JsonObject> added(Release before, Release after) {
    List<JsonObject> was = ReleaseState.of(before).canary().history();
    long seen = was.isEmpty() ? Long.MIN_VALUE : was.get(was.size() - 1).getLong("toMs", 0L);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject interval : ReleaseState.of(after).canary().history()) {
      if (interval.getLong("toMs", 0L) > seen) {
        out.add(interval);
      }
    }
    return out;
  }
}
