package dev.baton.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestsTest {

  private static final String SHA = "a".repeat(64);

  @Test
  void startRequestTakesDefaults() {
    StartInstanceRequest r = StartInstanceRequest.fromJson(new JsonObject()
        .put("app", "shop").put("version", "1.0.0")
        .put("artifact", new JsonObject().put("url", "http://127.0.0.1:8090/v1/artifacts/shop/1.0.0").put("sha256", SHA.toUpperCase())));
    assertThat(r.command()).containsExactly("java", "-jar", "{artifact}");
    assertThat(r.healthPath()).isEqualTo("/health");
    assertThat(r.port()).isNull();
    assertThat(r.artifact().sha256()).isEqualTo(SHA);
    assertThat(StartInstanceRequest.fromJson(r.toJson())).isEqualTo(r);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing app       | {"version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}}                   | app
      bad app           | {"app": "a_b", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}}     | app
      long app          | {"app": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}} | app
      bad version       | {"app": "a", "version": "-1", "artifact": {"url": "http://x/a", "sha256": "SHA"}}      | version
      missing sha256    | {"app": "a", "version": "1", "artifact": {"url": "http://x/a"}}                        | artifact.sha256
      short sha256      | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "abc"}}       | artifact.sha256
      file url          | {"app": "a", "version": "1", "artifact": {"url": "file:///etc/passwd", "sha256": "SHA"}} | artifact.url
      missing artifact  | {"app": "a", "version": "1"}                                                             | artifact
      port zero         | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "port": 0}      | port
      port too big      | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "port": 70000}  | port
      port as string    | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "port": "80"}   | port
      bad env name      | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "env": {"A-B": "1"}} | env.A-B
      env not string    | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "env": {"A": 1}} | env.A
      health not a path | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "healthPath": "health"} | healthPath
      empty command     | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "command": []}  | command
      shell string      | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "command": "java -jar x"} | command
      runAs a uid       | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "runAs": "65534"} | runAs
      runAs an option   | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "runAs": "--init"} | runAs
      runAs not string  | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "runAs": 0} | runAs
      limits not object | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "limits": 64} | limits
      memory too small  | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "limits": {"memoryMb": 1}} | limits.memoryMb
      files too many    | {"app": "a", "version": "1", "artifact": {"url": "http://x/a", "sha256": "SHA"}, "limits": {"openFiles": 2000000}} | limits.openFiles
      """)
  void rejectsBadStartRequest(String why, String json, String field) {
    assertThatThrownBy(() -> StartInstanceRequest.fromJson(new JsonObject(json.replace("SHA", SHA))))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
  }

  @Test
  void appSpecParsesDesignExample() {
    AppSpec spec = AppSpec.fromJson("shop", new JsonObject("""
        {"instances": 3, "healthPath": "/health", "routing": {"hosts": ["shop.example.com"], "pathPrefix": "/"}}"""));
    assertThat(spec.instances()).isEqualTo(3);
    assertThat(spec.routing().hosts()).containsExactly("shop.example.com");
    assertThat(AppSpec.fromJson(null, spec.toJson())).isEqualTo(spec);
  }

  @Test
  void runAsAndLimitsTravelFromTheSpecIntoTheStartRequest() {
    AppSpec spec = AppSpec.fromJson("shop", new JsonObject("""
        {"instances": 1, "runAs": "shop_svc", "limits": {"memoryMb": 256, "openFiles": 1024}}"""));
    assertThat(spec.runAs()).isEqualTo("shop_svc");
    assertThat(spec.limits()).isEqualTo(new Limits(256, 1024));
    assertThat(AppSpec.fromJson(null, spec.toJson())).isEqualTo(spec);

    StartInstanceRequest r = StartInstanceRequest.fromJson(new JsonObject()
        .put("app", "shop").put("version", "1.0.0").put("runAs", spec.runAs()).put("limits", spec.limits().toJson())
        .put("artifact", new JsonObject().put("url", "http://x/a").put("sha256", SHA)));
    assertThat(r.runAs()).isEqualTo("shop_svc");
    assertThat(r.limits().memoryMb()).isEqualTo(256);
    assertThat(StartInstanceRequest.fromJson(r.toJson())).isEqualTo(r);
  }

  @Test
  void withoutRunAsOrLimitsTheJsonStaysAsBefore() {
    AppSpec spec = AppSpec.fromJson("shop", new JsonObject().put("instances", 1));
    assertThat(spec.runAs()).isNull();
    assertThat(spec.limits()).isEqualTo(Limits.NONE);
    assertThat(spec.toJson().fieldNames()).doesNotContain("runAs", "limits");
    assertThat(AppSpec.fromJson("shop", new JsonObject().put("instances", 1).put("limits", new JsonObject()))
        .limits().isEmpty()).isTrue();
  }

  @Test
  void userNamesFollowTheRule() {
    assertThat(List.of("nobody", "www-data", "_svc", "shop1", "a".repeat(32)))
        .allMatch(n -> Names.USER.matcher(n).matches());
    assertThat(List.of("", "0", "65534", "Root", "-x", "a b", "a:b", "../x", "a".repeat(33)))
        .noneMatch(n -> Names.USER.matcher(n).matches());
  }

  @Test
  void appSpecReportsAllErrors() {
    assertThatThrownBy(() -> AppSpec.fromJson("Bad", new JsonObject("""
        {"instances": -1, "healthPath": "x", "routing": {"hosts": ["bad host"], "pathPrefix": "api"}}""")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("name", "instances", "healthPath", "routing.hosts[0]", "routing.pathPrefix"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "A", "-a", "a.b", "a b", "ä"})
  void appNamesFollowTheRule(String name) {
    assertThat(Names.isApp(name)).isFalse();
  }

  @Test
  void versionsFollowTheRule() {
    assertThat(List.of("1.0.0", "2.0.0-rc.1", "v2", "2024_01")).allMatch(Names::isVersion);
    assertThat(List.of("", ".1", "1/2", "1 0", "x".repeat(65))).noneMatch(Names::isVersion);
  }
}
