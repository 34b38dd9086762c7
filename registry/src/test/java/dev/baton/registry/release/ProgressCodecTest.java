package dev.baton.registry.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Release;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ProgressCodec}: each key of {@code Release.progress} to its typed value and back, and what it leaves alone. */
class ProgressCodecTest {

  private static Arguments row(String json, Function<ReleaseState, Object> read, Object expected) {
    return Arguments.of(json, read, expected);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        row("{}", s -> s, new ReleaseState(CommonState.NONE, InPlaceState.NONE, CanaryState.NONE, BlueGreenState.NONE,
            null, GateState.All.NONE, new JsonObject())),
        row("{\"abort\":\"health gate: x\"}", s -> s.abort().orElseThrow(), "health gate: x"),
        row("{\"paused\":true,\"pausedAt\":5}", s -> List.of(s.common().paused(), s.common().pausedAt()),
            List.of(true, 5L)),
        row("{\"blockedSince\":7,\"rollbackFailures\":2}", s -> List.of(s.common().blockedSince(),
            s.common().rollbackFailures()), List.of(7L, 2)),
        row("{\"healthySince\":{\"i2\":9,\"i1\":8}}", s -> s.common().healthySince(), Map.of("i1", 8L, "i2", 9L)),
        row("{\"rollbackOf\":\"shop.3\"}", s -> s.common().rollbackOf(), "shop.3"),
        row("{\"stepDown\":{\"weights\":[20.0,10.0],\"holds\":[5,5],\"index\":1,\"path\":\"p\",\"since\":3}}",
            s -> s.common().stepDown(), new CommonState.StepDown(List.of(20.0, 10.0), List.of(5, 5), 1, 3L, "p")),
        row("{\"slots\":[{\"agent\":\"a\",\"port\":20000,\"old\":\"i1\"}],\"portBusy\":[\"a:20000\"],"
            + "\"replaced\":[\"i9\"]}", s -> s.inPlace(), new InPlaceState(List.of(new InPlaceState.Slot("a", 20000,
            "i1")), List.of("a:20000"), List.of("i9"))),
        row("{\"stepStartedAt\":4,\"promote\":1}", s -> List.of(s.canary().stepStartedAt(), s.canary().promotedStep(),
            s.blueGreen().promote()), List.of(4L, 1, false)),
        row("{\"analysis\":{\"lastAt\":6,\"failures\":1,\"stepPasses\":0,\"last\":\"failed\",\"warmUntil\":2}}",
            s -> s.canary().analysis(), new CanaryState.Counters(6L, 1, 0, null, null, "failed", null, 2L,
            new JsonObject())),
        row("{\"analysisHistory\":[{\"verdict\":\"PASS\",\"toMs\":5}]}", s -> s.canary().history(),
            List.of(new JsonObject().put("verdict", "PASS").put("toMs", 5))),
        row("{\"greenReadyAt\":1,\"promote\":true,\"promotedAt\":2,\"blueWarmUntil\":3}", s -> List.of(
            s.blueGreen().greenReadyAt(), s.blueGreen().promote(), s.blueGreen().promotedAt(),
            s.blueGreen().blueWarmUntil(), s.canary().promotedStep() == null), List.of(1L, true, 2L, 3L, true)),
        row("{\"gates\":{\"step@2500#1\":{\"firstAt\":1,\"attempt\":2,\"askedAt\":3,\"by\":\"reg-1/a\","
            + "\"on\":\"step\",\"url\":\"http://h/s\",\"answered\":1,\"status\":503,\"answer\":\"503 in 4 ms\","
            + "\"passed\":false}},\"gateCalls\":[{\"key\":\"step@2500#1\",\"status\":503}]}", s -> s.gates(),
            new GateState.All(Map.of("step@2500#1", new GateState(1L, 2, 3L, "reg-1/a", "step", "http://h/s", 1, 503,
                "503 in 4 ms", false, null)), List.of(new JsonObject().put("key", "step@2500#1").put("status", 503)))),
        row("{\"bake\":{\"baseline\":{\"version\":\"1\",\"fromMs\":1,\"toMs\":2,\"requests\":30,\"errors\":1,"
            + "\"p50Ms\":2.0,\"p99Ms\":9.5},\"startedAt\":3,\"warmUntil\":4,\"lastAt\":5,\"last\":\"bake: passed\","
            + "\"passes\":1,\"passed\":true}}", s -> s.bake(), new BakeState(new BakeState.Baseline("1", 1, 2, 30, 1, 2.0,
            9.5), 3L, 4L, 5L, "bake: passed", 1, null, null, true, new JsonObject())),
        row("{\"group\":\"g1\",\"future\":{\"until\":5}}", ReleaseState::others,
            new JsonObject("{\"group\":\"g1\",\"future\":{\"until\":5}}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void eachKeyReadsToItsRecordAndWritesBackTheSame(String json, Function<ReleaseState, Object> read, Object expected) {
    JsonObject progress = new JsonObject(json);
    ReleaseState s = ProgressCodec.read(progress);
    assertThat(read.apply(s)).isEqualTo(expected);
    assertThat(ProgressCodec.read(ProgressCodec.merge(new JsonObject(), s))).isEqualTo(s);
    assertThat(new JsonObject(ProgressCodec.merge(new JsonObject(), s).encode())).as("written from the records alone")
        .isEqualTo(progress);
    assertThat(ProgressCodec.merge(progress, s).encode()).as("round trip").isEqualTo(json);
  }

  @Test
  void aChangedKeyKeepsItsPlaceAndEveryOtherKeyItsJson() {
    Release r = release("{\"stepStartedAt\":1,\"bake\":{\"until\":9,\"a\":[1]},\"analysis\":{\"warmUntil\":2,"
        + "\"canaryReady\":1},\"group\":\"g1\",\"blockedSince\":3}");
    Release out = ReleaseState.withCanary(r, c -> c.withStepStartedAt(5L));
    assertThat(out.progress().encode()).isEqualTo("{\"stepStartedAt\":5,\"bake\":{\"until\":9,\"a\":[1]},"
        + "\"analysis\":{\"warmUntil\":2,\"canaryReady\":1},\"group\":\"g1\",\"blockedSince\":3}");
  }

  @Test
  void aClearedKeyIsRemovedAndANewOneAppended() {
    Release r = release("{\"paused\":true,\"pausedAt\":5,\"bake\":{}}");
    Release out = ReleaseState.withCommon(r, c -> c.withPause(false, null).withAbort("aborted by operator"));
    assertThat(out.progress().encode()).isEqualTo("{\"bake\":{},\"abort\":\"aborted by operator\"}");
  }

  @Test
  void keysInsideTheBakeThisVersionDoesNotKnowSurviveAJudgement() {
    Release r = release("{\"bake\":{\"startedAt\":1,\"trend\":[1,2]}}");
    Release out = ReleaseState.withBake(r, ReleaseState.of(r).bake().judged(7, "bake: failed", CanaryAnalysis.Outcome.FAIL));
    assertThat(out.progress().getJsonObject("bake")).isEqualTo(new JsonObject()
        .put("startedAt", 1L).put("lastAt", 7L).put("last", "bake: failed").put("failures", 1).put("trend",
            new io.vertx.core.json.JsonArray().add(1).add(2)));
  }

  @Test
  void keysInsideTheAnalysisCountersThisVersionDoesNotKnowSurviveAJudgement() {
    Release r = release("{\"analysis\":{\"failures\":1,\"bakeFailures\":2}}");
    Release out = ReleaseState.withCanary(r, c -> c.withAnalysis(c.analysis().judged(7, "failed: x",
        CanaryAnalysis.Outcome.FAIL)));
    assertThat(out.progress().getJsonObject("analysis")).isEqualTo(new JsonObject()
        .put("lastAt", 7L).put("failures", 2).put("last", "failed: x").put("bakeFailures", 2));
  }

  @Test
  void aKeyTheStateDropsFromOthersIsRemovedAndOneItAddsIsWritten() {
    Release r = release("{\"future\":{},\"abort\":\"x\"}");
    ReleaseState s = ReleaseState.of(r);
    ReleaseState changed = new ReleaseState(s.common(), s.inPlace(), s.canary(), s.blueGreen(), s.bake(), s.gates(),
        new JsonObject().put("group", "g1"));
    assertThat(changed.applyTo(r).progress().encode()).isEqualTo("{\"abort\":\"x\",\"group\":\"g1\"}");
  }

  @Test
  void aWriteThatChangesNothingIsTheSameRelease() {
    Release r = release("{\"healthySince\":{\"i1\":1},\"promote\":false,\"rollbackFailures\":0}");
    assertThat(ReleaseState.withCommon(r, c -> c.withBlockedSince(null))).isSameAs(r);
    assertThat(ReleaseState.withCommon(r, c -> c.withHealthySince(Map.of("i1", 1L)))).isSameAs(r);
  }

  private static Release release(String progress) {
    return Fixtures.release("1", "2", Fixtures.strategy("{\"type\":\"canary\",\"steps\":[{\"weight\":50}]}"))
        .withProgress(new JsonObject(progress));
  }
}
