package dev.baton.registry.release;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The pure input of a planner: the app's spec, the release as persisted, and what was observed. */
public record PlanContext(AppSpec spec, Release release, Observed observed) {

  public long now() {
    return observed.nowMs();
  }

  public String at() {
    return Instant.ofEpochMilli(now()).toString();
  }

  public String app() {
    return release.app();
  }

  public int desired() {
    return spec.instances();
  }

  /** {@code r} with its message set to {@code message}, recorded in history when it changed. */
  public Release note(Release r, String message) {
    return message.equals(r.message()) ? r : r.transition(r.phase(), message, at());
  }

  /** {@code r} in {@code phase} with {@code message}, recorded in history when anything changed. */
  public Release to(Release r, ReleasePhase phase, String message) {
    return phase == r.phase() && message.equals(r.message()) ? r : r.transition(phase, message, at());
  }

  /** {@code r} with one progress key set; for keys without a typed record ({@link ReleaseState#others()}) only. */
  public static Release with(Release r, String key, Object value) {
    JsonObject p = r.progress().copy();
    p.put(key, value);
    return r.withProgress(p);
  }

  /** {@code r} without the given progress keys; for keys without a typed record only. */
  public static Release without(Release r, String... keys) {
    JsonObject p = r.progress().copy();
    for (String k : keys) {
      p.remove(k);
    }
    return r.withProgress(p);
  }
}
