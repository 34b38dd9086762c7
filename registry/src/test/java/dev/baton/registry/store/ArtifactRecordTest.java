package dev.baton.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.model.ArtifactMeta;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArtifactRecordTest {

  static final String SHA = "ab".repeat(32);
  static final String KEY = "baton/artifacts/shop/1.0.0";

  static JsonObject good() {
    return new ArtifactMeta("shop", "1.0.0", SHA, 12, "2026-01-01T00:00:00Z", "http://r/v1/artifacts/shop/1.0.0")
        .toJson();
  }

  static ArtifactRecord parse(String key, JsonObject value) {
    return ArtifactRecord.parse(key, value.encode(), 7);
  }

  @Test
  void aRecordTheRegistryWroteIsValidAndItsFileIsNamedByVersionAndDigestUnderTheRoot() {
    ArtifactRecord r = parse(KEY, good());
    assertThat(r).isInstanceOf(ArtifactRecord.Valid.class);
    assertThat(r.index()).isEqualTo(7);
    Path root = Path.of("/data/artifacts");
    assertThat(((ArtifactRecord.Valid) r).file(root)).isEqualTo(root.resolve("shop").resolve("1.0.0." + SHA));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "app      | ../../etc                              | app",
      "app      | /etc                                   | app",
      "app      | Shop                                   | app",
      "version  | ../../../etc/passwd                    | version",
      "version  | 1.0.0/../../x                          | version",
      "version  | /etc/passwd                            | version",
      "version  | .hidden                                | version",
      "sha256   | ../../../../etc/passwd                 | sha256",
      "sha256   | ABAB                                   | sha256",
      "sha256   | /etc/passwd                            | sha256",
  })
  void pathTraversalShapesInAnyFieldMakeTheRecordInvalidNamingTheField(String field, String value, String named) {
    ArtifactRecord r = parse(KEY, good().put(field, value));
    assertThat(r).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(((ArtifactRecord.Invalid) r).problem()).contains(named);
  }

  @Test
  void anUppercaseOrShortDigestIsNotWhatTheRegistryWritesAndIsInvalid() {
    assertThat(parse(KEY, good().put("sha256", SHA.toUpperCase()))).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(parse(KEY, good().put("sha256", SHA.substring(1)))).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(parse(KEY, good().put("sha256", 5))).isInstanceOf(ArtifactRecord.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5", "\"12\"", "true", "null", "99999999999999999999999"})
  void aSizeThatIsNotAWholeNonNegativeNumberIsInvalid(String size) {
    String json = good().encode().replace("\"size\":12", "\"size\":" + size);
    ArtifactRecord r = ArtifactRecord.parse(KEY, json, 1);
    assertThat(r).as(json).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(((ArtifactRecord.Invalid) r).problem()).contains("size");
  }

  @Test
  void aRecordNamingAnotherAppOrVersionThanItsKeyIsInvalid() {
    ArtifactRecord other = parse(KEY, good().put("app", "bank"));
    assertThat(other).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(((ArtifactRecord.Invalid) other).problem()).contains("bank 1.0.0", "shop 1.0.0");
    assertThat(parse(KEY, good().put("version", "2.0.0"))).isInstanceOf(ArtifactRecord.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"baton/artifacts/shop", "baton/artifacts/shop/1.0.0/x", "baton/artifacts/../1.0.0",
      "baton/artifacts/shop/..", "baton/apps/shop", "baton/artifacts//1.0.0"})
  void aKeyNotOfTheFormAppSlashVersionIsInvalidAndTheRemedyIsToRemoveIt(String key) {
    ArtifactRecord r = parse(key, good());
    assertThat(r).isInstanceOf(ArtifactRecord.Invalid.class);
    assertThat(((ArtifactRecord.Invalid) r).failure().getMessage()).contains(key, "remove the key from Consul KV");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "not json", "[1,2]", "\"a string\"", "42"})
  void aValueThatIsNotAJsonObjectIsInvalid(String value) {
    ArtifactRecord r = ArtifactRecord.parse(KEY, value, 1);
    assertThat(r).isInstanceOf(ArtifactRecord.Invalid.class);
  }

  @Test
  void theFailureOfAnInvalidRecordNamesItsKeyAndHowToReplaceIt() {
    InvalidArtifactException e = ((ArtifactRecord.Invalid) parse(KEY, good().put("app", "../x"))).failure();
    assertThat(e.key()).isEqualTo(KEY);
    assertThat(e.getMessage()).contains(KEY, "DELETE /v1/artifacts/shop/1.0.0", "upload");
  }

  @Test
  void aFileOutsideTheRootIsRefusedEvenForAMetaThatBypassedValidation() {
    ArtifactMeta forged = new ArtifactMeta("..", "..", "x", 1, null, null);
    assertThatThrownBy(() -> new ArtifactRecord.Valid(KEY, 1, forged).file(Path.of("/data/artifacts")))
        .isInstanceOf(InvalidArtifactException.class).hasMessageContaining(KEY);
    ArtifactMeta nested = new ArtifactMeta("shop", "a/../../b", SHA, 1, null, null);
    assertThatThrownBy(() -> new ArtifactRecord.Valid(KEY, 1, nested).file(Path.of("/data/artifacts")))
        .isInstanceOf(InvalidArtifactException.class);
  }
}
