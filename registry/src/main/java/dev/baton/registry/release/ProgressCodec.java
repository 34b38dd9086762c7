package dev.baton.registry.release;

import static dev.baton.registry.release.Progress.ABORT;
import static dev.baton.registry.release.Progress.ANALYSIS;
import static dev.baton.registry.release.Progress.ANALYSIS_HISTORY;
import static dev.baton.registry.release.Progress.BLOCKED_SINCE;
import static dev.baton.registry.release.Progress.BLUE_WARM_UNTIL;
import static dev.baton.registry.release.Progress.GREEN_READY_AT;
import static dev.baton.registry.release.Progress.HEALTHY_SINCE;
import static dev.baton.registry.release.Progress.PAUSED;
import static dev.baton.registry.release.Progress.PAUSED_AT;
import static dev.baton.registry.release.Progress.PORT_BUSY;
import static dev.baton.registry.release.Progress.PROMOTE;
import static dev.baton.registry.release.Progress.PROMOTED_AT;
import static dev.baton.registry.release.Progress.REPLACED;
import static dev.baton.registry.release.Progress.ROLLBACK_FAILURES;
import static dev.baton.registry.release.Progress.ROLLBACK_OF;
import static dev.baton.registry.release.Progress.SLOTS;
import static dev.baton.registry.release.Progress.STEP_DOWN;
import static dev.baton.registry.release.Progress.STEP_STARTED_AT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link ReleaseState} from and to {@code Release.progress}, with the keys and shapes of {@link Progress} (the stored
 * format does not change). Writing is a merge into the progress as it was: a key whose typed value did not change
 * keeps its JSON as it was (so a release round-trips byte for byte), a changed one is written in its shape, one
 * cleared is removed, and keys without a record ({@link ReleaseState#others()}) are kept unless the state dropped them.
 * Pure.
 */
final class ProgressCodec {

  /** The keys with a typed record; the order new keys are appended in. */
  static final List<String> KEYS = List.of(ABORT, STEP_DOWN, PROMOTE, PAUSED, PAUSED_AT, HEALTHY_SINCE, SLOTS,
      STEP_STARTED_AT, ANALYSIS, ANALYSIS_HISTORY, GREEN_READY_AT, PROMOTED_AT, BLUE_WARM_UNTIL, BLOCKED_SINCE,
      ROLLBACK_FAILURES, PORT_BUSY, REPLACED, ROLLBACK_OF, Bake.KEY, GateProgress.GATES, GateProgress.CALLS);
  private static final Set<String> KNOWN = Set.copyOf(KEYS);
  private static final List<String> BAKE = List.of("baseline", "startedAt", "warmUntil", "lastAt", "last", "passes",
      "failures", "inconclusive", "passed");
  private static final List<String> COUNTERS = List.of("lastAt", "failures", "stepPasses", "passes", "inconclusive",
      "last", "canaryReady", "warmUntil");

  private ProgressCodec() {
  }

  static ReleaseState read(JsonObject p) {
    Object promote = p.getValue(PROMOTE);
    CommonState common = new CommonState(p.getString(ABORT), Boolean.TRUE.equals(p.getValue(PAUSED)),
        p.getLong(PAUSED_AT), p.getLong(BLOCKED_SINCE), p.getInteger(ROLLBACK_FAILURES, 0),
        longs(p.getJsonObject(HEALTHY_SINCE)), stepDown(p.getJsonObject(STEP_DOWN)), p.getString(ROLLBACK_OF));
    InPlaceState inPlace = new InPlaceState(list(p.getJsonArray(SLOTS), x -> {
      JsonObject s = (JsonObject) x;
      return new InPlaceState.Slot(s.getString("agent"), s.getInteger("port"), s.getString("old"));
    }), list(p.getJsonArray(PORT_BUSY), String.class::cast), list(p.getJsonArray(REPLACED), String.class::cast));
    CanaryState canary = new CanaryState(p.getLong(STEP_STARTED_AT),
        promote instanceof Number n ? Integer.valueOf(n.intValue()) : null, counters(p.getJsonObject(ANALYSIS)),
        list(p.getJsonArray(ANALYSIS_HISTORY), JsonObject.class::cast));
    BlueGreenState blueGreen = new BlueGreenState(p.getLong(GREEN_READY_AT), Boolean.TRUE.equals(promote),
        p.getLong(PROMOTED_AT), p.getLong(BLUE_WARM_UNTIL));
    Map<String, GateState> gates = new LinkedHashMap<>();
    JsonObject g = p.getJsonObject(GateProgress.GATES, new JsonObject());
    g.fieldNames().forEach(k -> gates.put(k, gate(g.getJsonObject(k))));
    GateState.All all = new GateState.All(gates, list(p.getJsonArray(GateProgress.CALLS), JsonObject.class::cast));
    JsonObject others = p.copy();
    KEYS.forEach(others::remove);
    return new ReleaseState(common, inPlace, canary, blueGreen, bake(p.getJsonObject(Bake.KEY)), all, others);
  }

  /** Every typed key's JSON value (null: absent), in {@link #KEYS} order. */
  static Map<String, Object> write(ReleaseState s) {
    CommonState c = s.common();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(ABORT, c.abortReason());
    out.put(STEP_DOWN, c.stepDown() == null ? null : stepDown(c.stepDown()));
    out.put(PROMOTE, s.canary().promotedStep() != null ? s.canary().promotedStep()
        : s.blueGreen().promote() ? Boolean.TRUE : null);
    out.put(PAUSED, c.paused() ? Boolean.TRUE : null);
    out.put(PAUSED_AT, c.pausedAt());
    JsonObject healthy = new JsonObject();
    c.healthySince().forEach(healthy::put);
    out.put(HEALTHY_SINCE, healthy);
    JsonArray slots = new JsonArray();
    s.inPlace().slots().forEach(x -> slots.add(new JsonObject().put("agent", x.agent()).put("port", x.port())
        .put("old", x.old())));
    out.put(SLOTS, slots);
    out.put(STEP_STARTED_AT, s.canary().stepStartedAt());
    out.put(ANALYSIS, counters(s.canary().analysis()));
    out.put(ANALYSIS_HISTORY, new JsonArray(new ArrayList<>(s.canary().history())));
    out.put(GREEN_READY_AT, s.blueGreen().greenReadyAt());
    out.put(PROMOTED_AT, s.blueGreen().promotedAt());
    out.put(BLUE_WARM_UNTIL, s.blueGreen().blueWarmUntil());
    out.put(BLOCKED_SINCE, c.blockedSince());
    out.put(ROLLBACK_FAILURES, c.rollbackFailures() > 0 ? c.rollbackFailures() : null);
    out.put(PORT_BUSY, new JsonArray(new ArrayList<>(s.inPlace().portBusy())));
    out.put(REPLACED, new JsonArray(new ArrayList<>(s.inPlace().replaced())));
    out.put(ROLLBACK_OF, c.rollbackOf());
    out.put(Bake.KEY, s.bake() == null ? null : bake(s.bake()));
    JsonObject gates = new JsonObject();
    s.gates().byKey().forEach((k, v) -> gates.put(k, gate(v)));
    out.put(GateProgress.GATES, gates);
    out.put(GateProgress.CALLS, new JsonArray(new ArrayList<>(s.gates().calls())));
    return out;
  }

  /** {@code before} with {@code now} written into it (see the class comment). */
  static JsonObject merge(JsonObject before, ReleaseState now) {
    ReleaseState was = read(before);
    Map<String, Object> old = write(was);
    Map<String, Object> next = write(now);
    JsonObject out = before.copy();
    for (String k : KEYS) {
      Object v = next.get(k);
      if (Objects.equals(v, old.get(k))) {
        continue;
      }
      if (v == null) {
        out.remove(k);
      } else {
        out.put(k, v);
      }
    }
    for (String k : new ArrayList<>(was.others().fieldNames())) {
      if (!now.others().containsKey(k)) {
        out.remove(k);
      }
    }
    for (Map.Entry<String, Object> e : now.others()) {
      if (!KNOWN.contains(e.getKey()) && !Objects.equals(e.getValue(), was.others().getValue(e.getKey()))) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static Map<String, Long> longs(JsonObject o) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (o != null) {
      o.fieldNames().forEach(k -> out.put(k, o.getLong(k)));
    }
    return out;
  }

  private static <T> List<T> list(JsonArray a, Function<Object, T> item) {
    List<T> out = new ArrayList<>();
    if (a != null) {
      a.forEach(x -> out.add(item.apply(x)));
    }
    return out;
  }

  private static CommonState.StepDown stepDown(JsonObject o) {
    if (o == null) {
      return null;
    }
    return new CommonState.StepDown(list(o.getJsonArray("weights"), x -> ((Number) x).doubleValue()),
        list(o.getJsonArray("holds"), x -> ((Number) x).intValue()), o.getInteger("index", 0), o.getLong("since"),
        o.getString("path"));
  }

  private static JsonObject stepDown(CommonState.StepDown d) {
    JsonObject o = new JsonObject().put("weights", new JsonArray(new ArrayList<>(d.weights())))
        .put("holds", new JsonArray(new ArrayList<>(d.holds()))).put("index", d.index()).put("path", d.path());
    return d.since() == null ? o : o.put("since", d.since());
  }

  private static CanaryState.Counters counters(JsonObject o) {
    if (o == null) {
      return CanaryState.Counters.NONE;
    }
    JsonObject extra = o.copy();
    COUNTERS.forEach(extra::remove);
    return new CanaryState.Counters(o.getLong("lastAt"), o.getInteger("failures"), o.getInteger("stepPasses"),
        o.getInteger("passes"), o.getInteger("inconclusive"), o.getString("last"), o.getInteger("canaryReady"),
        o.getLong("warmUntil"), extra);
  }

  private static JsonObject counters(CanaryState.Counters c) {
    JsonObject o = new JsonObject();
    putIf(o, "lastAt", c.lastAt());
    putIf(o, "failures", c.failures());
    putIf(o, "stepPasses", c.stepPasses());
    putIf(o, "passes", c.passes());
    putIf(o, "inconclusive", c.inconclusive());
    putIf(o, "last", c.last());
    putIf(o, "canaryReady", c.canaryReady());
    putIf(o, "warmUntil", c.warmUntil());
    c.extra().forEach(e -> o.put(e.getKey(), e.getValue()));
    return o;
  }

  private static BakeState bake(JsonObject o) {
    if (o == null) {
      return null;
    }
    JsonObject b = o.getJsonObject("baseline");
    JsonObject extra = o.copy();
    BAKE.forEach(extra::remove);
    return new BakeState(b == null ? null : new BakeState.Baseline(b.getString("version"), b.getLong("fromMs", 0L),
        b.getLong("toMs", 0L), b.getLong("requests", 0L), b.getLong("errors", 0L), b.getDouble("p50Ms", 0.0),
        b.getDouble("p99Ms", 0.0)), o.getLong("startedAt"), o.getLong("warmUntil"), o.getLong("lastAt"),
        o.getString("last"), o.getInteger("passes"), o.getInteger("failures"), o.getInteger("inconclusive"),
        o.getBoolean("passed"), extra);
  }

  private static JsonObject bake(BakeState s) {
    JsonObject o = new JsonObject();
    BakeState.Baseline b = s.baseline();
    if (b != null) {
      o.put("baseline", new JsonObject().put("version", b.version()).put("fromMs", b.fromMs()).put("toMs", b.toMs())
          .put("requests", b.requests()).put("errors", b.errors()).put("p50Ms", b.p50Ms()).put("p99Ms", b.p99Ms()));
    }
    putIf(o, "startedAt", s.startedAt());
    putIf(o, "warmUntil", s.warmUntil());
    putIf(o, "lastAt", s.lastAt());
    putIf(o, "last", s.last());
    putIf(o, "passes", s.passes());
    putIf(o, "failures", s.failures());
    putIf(o, "inconclusive", s.inconclusive());
    putIf(o, "passed", s.passed());
    s.extra().forEach(e -> o.put(e.getKey(), e.getValue()));
    return o;
  }

  private static GateState gate(JsonObject o) {
    return new GateState(o.getLong("firstAt"), o.getInteger("attempt", 0), o.getLong("askedAt"), o.getString("by"),
        o.getString("on"), o.getString("url"), o.getInteger("answered"), o.getInteger("status"), o.getString("answer"),
        o.getBoolean("passed"), o.getLong("nextAt"));
  }

  private static JsonObject gate(GateState s) {
    JsonObject o = new JsonObject();
    putIf(o, "firstAt", s.firstAt());
    o.put("attempt", s.attempt());
    putIf(o, "askedAt", s.askedAt());
    putIf(o, "by", s.by());
    putIf(o, "on", s.on());
    putIf(o, "url", s.url());
    putIf(o, "answered", s.answered());
    putIf(o, "status", s.status());
    putIf(o, "answer", s.answer());
    putIf(o, "passed", s.passed());
    putIf(o, "nextAt", s.nextAt());
    return o;
  }

  private static void putIf(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }
}
