package dev.baton.registry.release;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One gate at one point of a release, in {@code progress.gates} under its key ({@link GateProgress}, docs/registry-api.md,
 * "Gates"): when it was first asked, the attempt asked last, when and by which registry process, the gate's kind and
 * URL, and, once answered, which attempt was answered, the HTTP status and the answer in words, whether it passed and
 * when to ask again. A null value is one the gate does not have yet.
 */
public record GateState(Long firstAt, int attempt, Long askedAt, String by, String on, String url, Integer answered,
                        Integer status, String answer, Boolean passed, Long nextAt) {

  public boolean hasPassed() {
    return Boolean.TRUE.equals(passed);
  }

  /** True when the attempt asked last has its answer. */
  public boolean isAnswered() {
    return (answered == null ? 0 : answered) >= attempt;
  }

  /** The next attempt, asked at {@code now} by {@code me}; the first one when {@code st} is null. */
  static GateState ask(GateState st, long now, String me, String on, String url) {
    return st == null ? new GateState(now, 1, now, me, on, url, null, null, null, null, null)
        : new GateState(st.firstAt, st.attempt + 1, now, me, on, url, st.answered, st.status, st.answer, st.passed, null);
  }

  /** Attempt {@code n} answered; {@code retryAt} when it did not pass. */
  GateState answer(int n, int httpStatus, String words, boolean ok, Long retryAt) {
    return new GateState(firstAt, attempt, askedAt, by, on, url, n, httpStatus, words, ok, retryAt);
  }

  /**
   * Every gate's state by key ({@code progress.gates}) and the last calls with their answers ({@code
   * progress.gateCalls}, free-form entries). Absent reads empty.
   */
  public record All(Map<String, GateState> byKey, List<io.vertx.core.json.JsonObject> calls) {

    static final All NONE = new All(Map.of(), List.of());

    public All {
      byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
      calls = calls.stream().map(io.vertx.core.json.JsonObject::copy).toList();
    }

    public All with(String key, GateState state) {
      Map<String, GateState> next = new LinkedHashMap<>(byKey);
      next.put(key, state);
      return new All(next, calls);
    }

    public All withCalls(List<io.vertx.core.json.JsonObject> next) {
      return new All(byKey, next);
    }
  }
}
