package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.registry.hooks.RetrySchedule;
import dev.baton.registry.hooks.WebhookClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The gates' bookkeeping in a release's progress (docs/registry-api.md, "Gates"): {@code progress.gates} holds each
 * gate's state by key ({@code {on, url, attempt, firstAt, askedAt, by, answered, answer, status, passed, nextAt}}),
 * {@code progress.gateCalls} the last {@value #LIMIT} calls with their answers. The history gets an entry for an
 * answer that differs from the gate's previous one, so a gate saying "not yet" for an hour is one line there (every
 * call is in {@code gateCalls} and a {@code release.gate} event). Pure.
 */
public final class GateProgress {

  public static final String GATES = "gates";
  public static final String CALLS = "gateCalls";
  static final int LIMIT = 100;

  private GateProgress() {
  }

  static GateState state(Release r, String key) {
    return ReleaseState.of(r).gates().byKey().get(key);
  }

  static Release put(Release r, String key, GateState state) {
    return ReleaseState.withGates(r, g -> g.with(key, state));
  }

  /**
   * {@code r} with the answer to {@code call} recorded, or {@code r} itself when that call is no longer the gate's
   * current one (answered already, or asked again since). {@code record} receives the call's entry for the event.
   */
  public static Release answered(Release r, GateCall call, WebhookClient.Reply reply, long nowMs,
                                 java.util.function.Consumer<JsonObject> record) {
    GateState st = state(r, call.key());
    if (st == null || st.attempt() != call.attempt() || st.isAnswered()) {
      return r;
    }
    String previous = st.answer();
    boolean passed = reply.ok();
    String answer = reply.describe();
    GateState next = st.answer(call.attempt(), reply.status(), answer, passed,
        passed ? st.nextAt() : Long.valueOf(nowMs + RetrySchedule.gateDelayMs(call.attempt())));
    String at = java.time.Instant.ofEpochMilli(nowMs).toString();
    JsonObject entry = new JsonObject().put("at", at).put("key", call.key()).put("on", call.gate().on().key())
        .put("url", call.gate().url()).put("point", call.where()).put("attempt", call.attempt())
        .put("status", reply.status()).put("ms", reply.ms()).put("body", reply.body()).put("error", reply.error())
        .put("passed", passed);
    record.accept(entry);
    List<JsonObject> calls = new ArrayList<>(ReleaseState.of(r).gates().calls());
    calls.add(entry);
    List<JsonObject> kept = calls.subList(Math.max(0, calls.size() - LIMIT), calls.size());
    Release out = ReleaseState.withGates(r, g -> g.with(call.key(), next).withCalls(kept));
    String line = call.gate().on().key() + " gate " + call.gate().url() + " (" + call.where() + "), attempt "
        + call.attempt() + ": " + answer + (passed ? "; passed" : call.gate().on().blocks() ? "; not passed, waiting"
        : "");
    boolean same = previous != null && sameAnswer(previous, answer);
    return same && !passed ? out.withMessage(line) : out.transition(out.phase(), line, at);
  }

  /** Two answers alike but for the time taken ({@code 503 in 12 ms: 'x'} and {@code 503 in 9 ms: 'x'}). */
  private static boolean sameAnswer(String a, String b) {
    return a.replaceAll("\\d+ ms", "").equals(b.replaceAll("\\d+ ms", ""));
  }
}
