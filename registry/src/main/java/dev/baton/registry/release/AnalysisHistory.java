package dev.baton.registry.release;

import dev.baton.common.model.Release;
import io.vertx.core.json.JsonArray;
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
    JsonArray h = r.progress().getJsonArray(Progress.ANALYSIS_HISTORY, new JsonArray()).copy();
    h.add(interval);
    while (h.size() > LIMIT) {
      h.remove(0);
    }
    return PlanContext.with(r, Progress.ANALYSIS_HISTORY, h);
  }

  /** The intervals of {@code after} that {@code before} did not have (windows ending after its last one). */
  static List<JsonObject> added(Release before, Release after) {
    JsonArray was = before.progress().getJsonArray(Progress.ANALYSIS_HISTORY);
    JsonArray now = after.progress().getJsonArray(Progress.ANALYSIS_HISTORY);
    long seen = was == null || was.isEmpty() ? Long.MIN_VALUE : was.getJsonObject(was.size() - 1).getLong("toMs", 0L);
    List<JsonObject> out = new ArrayList<>();
    if (now != null) {
      for (int i = 0; i < now.size(); i++) {
        if (now.getJsonObject(i).getLong("toMs", 0L) > seen) {
          out.add(now.getJsonObject(i));
        }
      }
    }
    return out;
  }
}
