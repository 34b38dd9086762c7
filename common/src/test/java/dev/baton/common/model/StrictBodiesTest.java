package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Bodies sent to the APIs refuse a field nobody reads, naming it, where it is, and the nearest known name; what
 * baton stored itself is read leniently (docs/ARCHITECTURE.md, "Strict bodies").
 */
class StrictBodiesTest {

  /** The misspellings a new user sent, each of which used to fall back to a default without a word. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":10,"pauseSecond":60},{"weight":100}]}} | strategy.steps[0].pauseSecond | unknown field "pauseSecond" in strategy.steps[0]; did you mean "pauseSeconds"?
      {"version":"2.0.0","stratgy":{"type":"blue-green"}}                                                         | stratgy                       | unknown field "stratgy" in the body; did you mean "strategy"?
      {"version":"2.0.0","strategy":{"type":"rolling","maxSurg":2}}                                               | strategy.maxSurg              | unknown field "maxSurg" in strategy; did you mean "maxSurge"?
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":100}],"analysis":{"minRequest":5}}}       | strategy.analysis.minRequest  | unknown field "minRequest" in strategy.analysis; did you mean "minRequests"?
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":100}],"rulez":[]}}                        | strategy.rulez                | unknown field "rulez" in strategy; did you mean "rules"?
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":10}],"analysis":{"warmupSecond":5}}}     | strategy.analysis.warmupSecond | unknown field "warmupSecond" in strategy.analysis; did you mean "warmupSeconds"?
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":10}],"analysis":{"maxErrorRateIncrese":0.02}}} | strategy.analysis.maxErrorRateIncrese | unknown field "maxErrorRateIncrese" in strategy.analysis; did you mean "maxErrorRateIncrease"?
      {"version":"2.0.0","strategy":{"type":"rolling","mode":"surge","colour":"blue"}}                            | strategy.colour               | unknown field "colour" in strategy; known fields: maxSurge, maxUnavailable, minHealthySeconds, mode, progressDeadlineSeconds, type
      {"version":"2.0.0","strategy":{"type":"blue-green","progresDeadlineSeconds":60}}                            | strategy.progresDeadlineSeconds | unknown field "progresDeadlineSeconds" in strategy; did you mean "progressDeadlineSeconds"?
      {"version":"2.0.0","strategy":{"type":"canary","steps":[{"weight":10}],"minHealthySecond":5}}              | strategy.minHealthySecond     | unknown field "minHealthySecond" in strategy; did you mean "minHealthySeconds"?
      {"version":"2.0.0","gates":[{"on":"step","url":"http://smoke/gate","ontimeout":"wait"}]}                    | gates[0].ontimeout            | unknown field "ontimeout" in gates[0]; did you mean "onTimeout"?
      """)
  void aMisspeltReleaseFieldIsRefusedWithTheNearestName(String body, String field, String message) {
    ValidationException e = catchThrowableOfType(() -> ReleaseRequest.fromJson(new JsonObject(body)),
        ValidationException.class);
    assertThat(e).as("refused: %s", body).isNotNull();
    assertThat(e.errors()).containsExactly(new FieldError(field, message));
  }

  @Test
  void aMisspeltAppSpecFieldIsRefusedOnTheApiButReadFromKv() {
    JsonObject body = new JsonObject("""
        {"instances": 2, "healthpath": "/ready", "routing": {"pathPrefix": "/", "hostz": ["a.example"]}}""");
    ValidationException e = catchThrowableOfType(() -> AppSpec.fromRequest("shop", body), ValidationException.class);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("healthpath", "routing.hostz");
    assertThat(e.errors().get(0).message()).endsWith("did you mean \"healthPath\"?");
    assertThat(e.errors().get(1).message()).endsWith("did you mean \"hosts\"?");
    // What the registry stored itself (or a newer registry stored for an older reader) stays readable.
    assertThat(AppSpec.fromJson("shop", body).instances()).isEqualTo(2);
  }

  @Test
  void anAppSpecMayRepeatItsNameButNotAnother() {
    assertThat(AppSpec.fromRequest("shop", new JsonObject("{\"name\":\"shop\",\"instances\":1}")).name())
        .isEqualTo("shop");
    assertThatThrownBy(() -> AppSpec.fromRequest("shop", new JsonObject("{\"name\":\"cart\",\"instances\":1}")))
        .hasMessageContaining("'cart' differs from the app of the URL, shop");
  }

  @Test
  void everyDocumentedFieldIsKnownAndEnvNamesAreNotFields() {
    ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "strategy": {"type": "canary",
         "steps": [{"weight": 10, "pauseSeconds": 30}, {"weight": 50, "pause": "manual"}, {"weight": 100}],
         "sticky": {"header": "X-User-Id"}, "rules": [{"match": {"header": "X-Beta", "equals": "1"}, "version": "2.0.0"}],
         "analysis": {"maxErrorRate": 0.01, "maxP99Ratio": 1.5, "minRequests": 50, "intervalSeconds": 5, "failureLimit": 2,
          "maxErrorRateIncrease": 0.01, "confidence": 0.95, "minP99IncreaseMs": 25, "warmupSeconds": 15},
         "progressDeadlineSeconds": 900, "minHealthySeconds": 10},
         "gates": [{"on": "step", "url": "https://smoke.example/gate", "timeoutSeconds": 60, "onTimeout": "abort"}]}"""));
    ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "strategy": {"type": "blue-green", "preview": {"header": "X-Baton-Preview", "equals": "green"},
         "autoPromoteSeconds": null, "scaleDownDelaySeconds": 300, "progressDeadlineSeconds": null, "minHealthySeconds": 5}}"""));
    AppSpec spec = AppSpec.fromRequest("shop", new JsonObject("""
        {"instances": 3, "healthPath": "/health", "command": ["java", "-jar", "{artifact}"],
         "env": {"ANY_NAME_AT_ALL": "x"}, "limits": {"memoryMb": 256, "openFiles": 4096},
         "routing": {"hosts": ["shop.example"], "pathPrefix": "/"},
         "notify": [{"url": "https://hooks.example/baton", "secret": "0123456789abcdef", "format": "json"}]}"""));
    assertThat(spec.env()).containsKey("ANY_NAME_AT_ALL");
    RoutePolicy.fromRequest(new JsonObject("""
        {"app": "shop", "revision": 3, "split": [{"version": "1.0.0", "weight": 90}, {"version": "2.0.0", "weight": 10}],
         "rules": [], "sticky": {"cookie": "uid"}, "mirror": {"version": "2.0.0", "percent": 5}}"""));
  }

  @Test
  void aRoutePolicyAndAStartRequestRefuseUnknownFieldsOnlyFromTheApi() {
    JsonObject policy = new JsonObject("""
        {"app": "shop", "split": [{"version": "1.0.0", "weigth": 100}]}""");
    assertThatThrownBy(() -> RoutePolicy.fromRequest(policy)).isInstanceOf(ValidationException.class);
    JsonObject start = new JsonObject("""
        {"app": "shop", "version": "1.0.0", "artifact": {"url": "http://r/a.jar", "sha256": "%s"}, "prot": 9000}"""
        .formatted("a".repeat(64)));
    ValidationException e = catchThrowableOfType(() -> StartInstanceRequest.fromRequest(start), ValidationException.class);
    assertThat(e.errors()).containsExactly(new FieldError("prot", "unknown field \"prot\" in the body; did you mean \"port\"?"));
    assertThat(StartInstanceRequest.fromJson(start).app()).isEqualTo("shop");
  }

  @Test
  void anObjectThatWasAlreadyRefusedDoesNotAlsoListItsOtherFields() {
    ValidationException e = catchThrowableOfType(() -> ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "strategy": {"type": "blue-grene", "preview": {"header": "X", "equals": "1"}}}""")),
        ValidationException.class);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("strategy.type");
  }

  @Test
  void nearestNameIgnoresCaseAndGivesUpWhenNothingIsClose() {
    assertThat(Fields.nearest("healthpath", Set.of("healthPath", "instances"))).isEqualTo("healthPath");
    assertThat(Fields.nearest("colour", Set.of("maxSurge", "mode"))).isNull();
  }

  @Test
  void anAbortBodyIsStrictAndStepDownSecondsNeedsGradual() {
    assertThat(AbortRequest.fromJson(new JsonObject())).isEqualTo(AbortRequest.IMMEDIATE);
    assertThat(AbortRequest.fromJson(new JsonObject("{\"gradual\": true, \"stepDownSeconds\": 5}")))
        .isEqualTo(new AbortRequest(true, 5));
    assertThatThrownBy(() -> AbortRequest.fromJson(new JsonObject("{\"graduel\": true}")))
        .hasMessageContaining("unknown field \"graduel\" in the body; did you mean \"gradual\"?");
    assertThatThrownBy(() -> AbortRequest.fromJson(new JsonObject("{\"stepDownSeconds\": 5}")))
        .hasMessageContaining("applies only to a gradual abort");
    assertThatThrownBy(() -> AbortRequest.fromJson(new JsonObject("{\"gradual\": \"yes\"}")))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> AbortRequest.fromJson(new JsonObject("{\"gradual\": true, \"stepDownSeconds\": 0}")))
        .hasMessageContaining("between 1 and 120");
  }
}
