package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A release's config overrides: merge rules, the spec's validation, redaction, and releases stored before them. */
class ConfigOverridesTest {

  @Test
  void envIsMergedNameByNameOverTheSpecAndCommandReplacesTheSpecs() {
    ConfigOverrides o = new ConfigOverrides(Map.of("FLAG", "x", "LEVEL", "debug"), List.of("java", "-Xmx256m",
        "-jar", "{artifact}"));
    assertThat(o.envOver(Map.of("LEVEL", "info", "REGION", "eu"))).containsExactly(Map.entry("FLAG", "x"),
        Map.entry("LEVEL", "debug"), Map.entry("REGION", "eu"));
    assertThat(o.commandOver(AppSpec.DEFAULT_COMMAND)).containsExactly("java", "-Xmx256m", "-jar", "{artifact}");
    ConfigOverrides envOnly = new ConfigOverrides(Map.of("FLAG", "x"), null);
    assertThat(envOnly.commandOver(AppSpec.DEFAULT_COMMAND)).isEqualTo(AppSpec.DEFAULT_COMMAND);
    assertThat(ConfigOverrides.NONE.envOver(Map.of("REGION", "eu"))).isEqualTo(Map.of("REGION", "eu"));
    assertThat(ConfigOverrides.NONE.isEmpty()).isTrue();
    assertThat(envOnly.isEmpty()).isFalse();
  }

  @Test
  void aReleaseRequestCarriesEnvAndCommand() {
    ReleaseRequest r = ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "env": {"FLAG": "x"}, "command": ["java", "-jar", "{artifact}", "--port={port}"]}"""));
    assertThat(r.config().env()).isEqualTo(Map.of("FLAG", "x"));
    assertThat(r.config().command()).containsExactly("java", "-jar", "{artifact}", "--port={port}");
    assertThat(ReleaseRequest.fromJson(r.toJson())).isEqualTo(r);
    assertThat(ReleaseRequest.fromJson(new JsonObject("{\"version\": \"2.0.0\"}")).config())
        .isEqualTo(ConfigOverrides.NONE);
  }

  /** The app spec's rules, and an unknown field named with the nearest known one. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"version":"2.0.0","env":{"1BAD":"x"}}                  | env.1BAD | is not a valid environment variable name
      {"version":"2.0.0","env":{"FLAG":1}}                    | env.FLAG | must be a string
      {"version":"2.0.0","env":["FLAG=x"]}                    | env      | must be an object
      {"version":"2.0.0","command":[]}                        | command  | must be a non-empty argv array whose first element is the program
      {"version":"2.0.0","command":"java -jar app.jar"}       | command  | must be an array
      {"version":"2.0.0","command":["java",3]}                | command[1] | must be a string
      {"version":"2.0.0","envs":{"FLAG":"x"}}                 | envs     | unknown field "envs" in the body; did you mean "env"?
      {"version":"2.0.0","comand":["java"]}                   | comand   | unknown field "comand" in the body; did you mean "command"?
      """)
  void badOverridesAreRefusedLikeTheSpecs(String body, String field, String message) {
    ValidationException e = catchThrowableOfType(() -> ReleaseRequest.fromJson(new JsonObject(body)),
        ValidationException.class);
    assertThat(e).as("refused: %s", body).isNotNull();
    assertThat(e.errors()).containsExactly(new FieldError(field, message));
  }

  @Test
  void secretLookingNamesAreRedactedInEnvAndInNameValueArguments() {
    assertThat(Secrets.redact(Map.of("DB_PASSWORD", "p", "API_TOKEN", "t", "client_secret", "s", "AWS_ACCESS_KEY_ID",
        "k", "FLAG", "x"))).isEqualTo(Map.of("DB_PASSWORD", "***", "API_TOKEN", "***", "client_secret", "***",
        "AWS_ACCESS_KEY_ID", "***", "FLAG", "x"));
    assertThat(Secrets.redact(List.of("java", "--api-key=abc", "-Dsecret.value=s", "--level=debug", "{artifact}")))
        .containsExactly("java", "--api-key=***", "-Dsecret.value=***", "--level=debug", "{artifact}");
  }

  @Test
  void aReleaseStoresItsConfigAndServesItRedacted() {
    ReleaseConfig config = new ReleaseConfig(new ConfigOverrides(Map.of("FLAG", "x", "DB_PASSWORD", "hunter2"), null),
        new ConfigOverrides(Map.of("FLAG", "old"), List.of("java", "-jar", "{artifact}")));
    Release r = new Release("shop.1", "shop", "1.0.0", "2.0.0", RollingStrategy.defaults(), ReleasePhase.PENDING, 0,
        "m", List.of(), new JsonObject(), config);
    Release stored = Release.fromJson(r.toJson());
    assertThat(stored.config()).isEqualTo(config);
    assertThat(stored.configOf("2.0.0").env()).containsEntry("DB_PASSWORD", "hunter2");
    assertThat(stored.configOf("1.0.0").command()).containsExactly("java", "-jar", "{artifact}");
    assertThat(stored.configOf("0.9.0")).isEqualTo(ConfigOverrides.NONE);
    JsonObject served = r.toApiJson();
    assertThat(served.getJsonObject("config").getJsonObject("env").getString("DB_PASSWORD")).isEqualTo("***");
    assertThat(served.getJsonObject("config").getJsonObject("env").getString("FLAG")).isEqualTo("x");
    assertThat(served.getJsonObject("fromConfig").getJsonObject("env").getString("FLAG")).isEqualTo("old");
    // Every transition keeps the config.
    assertThat(r.transition(ReleasePhase.PROGRESSING, "go", "t").withStep(1).withMessage("x")
        .withProgress(new JsonObject()).config()).isEqualTo(config);
  }

  @Test
  void aReleaseStoredBeforeOverridesExistedRunsWithTheSpecAlone() {
    JsonObject old = new Release("shop.1", "shop", "1.0.0", "2.0.0", RollingStrategy.defaults(), ReleasePhase.SUCCEEDED,
        0, "m", List.of(), new JsonObject()).toJson();
    old.remove("config");
    old.remove("fromConfig");
    Release read = Release.fromJson(old);
    assertThat(read.config()).isEqualTo(ReleaseConfig.NONE);
    assertThat(read.configOf("2.0.0").envOver(Map.of("A", "1"))).isEqualTo(Map.of("A", "1"));
  }
}
