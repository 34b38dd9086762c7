package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A release's gates and an app's notification receivers: what is accepted, what is refused, and what is shown. */
class GatesAndNotifyTest {

  @Test
  void gatesAreReadWithTheirDefaultsAndKeptWithTheRelease() {
    ReleaseRequest req = ReleaseRequest.fromJson(new JsonObject("""
        {"version": "2.0.0", "gates": [
          {"on": "pre-rollout", "url": "https://smoke.example/check"},
          {"on": "step", "url": "http://10.0.0.5:8080/gate", "timeoutSeconds": 30, "onTimeout": "wait"},
          {"on": "confirm-promotion", "url": "http://ci/approve"},
          {"on": "post-rollout", "url": "http://ci/done"},
          {"on": "rollback", "url": "http://pager/rolled-back", "timeoutSeconds": 5}]}"""));
    assertThat(req.gates()).extracting(Gate::on).containsExactly(Gate.On.PRE_ROLLOUT, Gate.On.STEP,
        Gate.On.CONFIRM_PROMOTION, Gate.On.POST_ROLLOUT, Gate.On.ROLLBACK);
    assertThat(req.gates().get(0)).isEqualTo(new Gate(Gate.On.PRE_ROLLOUT, "https://smoke.example/check", 60,
        Gate.OnTimeout.ABORT));
    assertThat(req.gates().get(1).onTimeout()).isEqualTo(Gate.OnTimeout.WAIT);
    assertThat(req.gates().get(1).timeoutSeconds()).isEqualTo(30);
    Release r = new Release("shop.1", "shop", "1.0.0", "2.0.0", req.strategy(), ReleasePhase.PENDING, 0, "m",
        List.of(), new JsonObject(), req.gates());
    assertThat(Release.fromJson(new JsonObject(r.toJson().encode())).gates()).isEqualTo(req.gates());
    JsonObject old = r.toJson();
    old.remove("gates");
    assertThat(Release.fromJson(old).gates()).as("a release stored before gates existed has none").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"on": "before-step", "url": "http://x/g"}                   | gates[0].on             | 'before-step' is not a gate point; use pre-rollout, step, confirm-promotion, post-rollout or rollback
      {"on": "step", "url": "ftp://x/g"}                           | gates[0].url            | must be an http:// or https:// URL, got 'ftp://x/g'
      {"on": "step", "url": "file:///etc/passwd"}                  | gates[0].url            | must be an http:// or https:// URL, got 'file:///etc/passwd'
      {"on": "step", "url": "http:///nohost"}                      | gates[0].url            | must name a host, got 'http:///nohost'
      {"on": "step", "url": "http://u:p@x/g"}                      | gates[0].url            | must not carry credentials (user:password@); put them in the receiver's own configuration, got 'http://u:p@x/g'
      {"on": "step"}                                               | gates[0].url            | is required
      {"on": "step", "url": "http://x/g", "onTimeout": "skip"}     | gates[0].onTimeout      | 'skip' is not a timeout action; use abort or wait
      {"on": "step", "url": "http://x/g", "timeoutSeconds": 0}     | gates[0].timeoutSeconds | must be between 1 and 86400, got 0
      {"on": "post-rollout", "url": "http://x/g", "onTimeout": "abort"} | gates[0].onTimeout | a post-rollout gate never holds or rolls back a release (it reports only); leave onTimeout out
      {"on": "step", "url": "http://x/g", "timeoutSecond": 5}      | gates[0].timeoutSecond  | unknown field "timeoutSecond" in gates[0]; did you mean "timeoutSeconds"?
      """)
  void aBadGateIsRefusedNamingItsField(String gate, String field, String message) {
    ValidationException e = catchThrowableOfType(() -> ReleaseRequest.fromJson(new JsonObject(
        "{\"version\": \"2.0.0\", \"gates\": [" + gate + "]}")), ValidationException.class);
    assertThat(e).as("refused: %s", gate).isNotNull();
    assertThat(e.errors()).containsExactly(new FieldError(field, message));
  }

  @Test
  void notifyReceiversAreStoredWithTheirSecretButShownRedacted() {
    AppSpec spec = AppSpec.fromRequest("shop", new JsonObject("""
        {"instances": 1, "notify": [{"url": "https://hooks.example/baton", "secret": "0123456789abcdef0123"},
          {"url": "https://hooks.slack.com/services/T0/B0/xyz", "format": "slack"}]}"""));
    assertThat(spec.notifications()).containsExactly(
        new Notify("https://hooks.example/baton", "0123456789abcdef0123", Notify.Format.JSON),
        new Notify("https://hooks.slack.com/services/T0/B0/xyz", null, Notify.Format.SLACK));
    assertThat(spec.toJson().encode()).doesNotContain("0123456789abcdef0123").doesNotContain("T0/B0/xyz")
        .contains(Notify.REDACTED);
    assertThat(spec.toJson().getJsonArray("notify").getJsonObject(1).getString("url"))
        .isEqualTo("https://hooks.slack.com/(redacted)");
    assertThat(AppSpec.fromJson("shop", spec.toStoredJson()).notifications()).isEqualTo(spec.notifications());
    assertThat(AppSpec.fromJson("shop", new JsonObject().put("instances", 1)).toJson().containsKey("notify"))
        .as("a spec without receivers shows no notify field").isFalse();
    // A spec read back from the API may be sent again as it is: the marker stands for the stored secret.
    AppSpec again = AppSpec.fromRequest("shop", spec.toJson());
    assertThat(again.notifications().get(0).secretRedacted()).isTrue();
    assertThat(Notify.restore(again.notifications(), spec.notifications())).isEqualTo(spec.notifications());
    ValidationException e = catchThrowableOfType(() -> Notify.restore(again.notifications(), List.of()),
        ValidationException.class);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("notify[0].secret", "notify[1].url");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"url": "https://h.example/x"}                                  | notify[0].secret | is required for json receivers: the receiver checks X-Baton-Signature with it (e.g. openssl rand -hex 32)
      {"url": "https://h.example/x", "secret": "short"}               | notify[0].secret | must be 16 to 512 characters (e.g. openssl rand -hex 32)
      {"url": "gopher://h.example/x", "secret": "0123456789abcdef"}   | notify[0].url    | must be an http:// or https:// URL, got 'gopher://h.example/x'
      {"url": "https://h.example/x", "format": "teams", "secret": "0123456789abcdef"} | notify[0].format | 'teams' is not a notification format; use json or slack
      {"url": "https://h.example/x", "format": "slack", "secrt": "x"} | notify[0].secrt  | unknown field "secrt" in notify[0]; did you mean "secret"?
      """)
  void aBadReceiverIsRefused(String receiver, String field, String message) {
    ValidationException e = catchThrowableOfType(() -> AppSpec.fromRequest("shop", new JsonObject(
        "{\"instances\": 1, \"notify\": [" + receiver + "]}")), ValidationException.class);
    assertThat(e).as("refused: %s", receiver).isNotNull();
    assertThat(e.errors()).contains(new FieldError(field, message));
  }
}
