package dev.baton.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String s) {
    return (Map<String, Object>) Json.parse(s);
  }

  @Test
  void tablesAlignColumns() {
    assertThat(Table.of("app", "version").row("shop", "1.0.0").row("inventory-service", null).lines()).containsExactly(
        "APP                VERSION",
        "shop               1.0.0",
        "inventory-service  -");
  }

  @Test
  void appsShowTheSplitAndActiveRelease() {
    List<String> lines = Views.apps(List.of(json("{\"app\":\"shop\",\"version\":\"1.0.0\",\"passing\":3,\"desired\":3,"
        + "\"status\":\"OK\",\"route\":{\"split\":[{\"version\":\"1.0.0\",\"weight\":90.0},{\"version\":\"2.0.0\",\"weight\":10}]},"
        + "\"activeRelease\":{\"id\":\"shop.1\",\"phase\":\"PAUSED\"}}")));
    assertThat(lines).containsExactly(
        "APP   VERSION  PASSING  STATUS  SPLIT                  RELEASE",
        "shop  1.0.0    3/3      OK      1.0.0 90% · 2.0.0 10%  shop.1 PAUSED");
  }

  @Test
  void eachVersionsConfigOverridesShowAsServedAndNothingForTheSpecAlone() {
    List<String> lines = Views.app(json("{\"app\":\"shop\",\"version\":\"1.0.0\",\"passing\":1,\"desired\":1,"
        + "\"status\":\"OK\",\"spec\":{},\"instances\":[],\"versions\":["
        + "{\"version\":\"1.0.0\",\"overrides\":{\"env\":{}}},"
        + "{\"version\":\"2.0.0\",\"overrides\":{\"env\":{\"API_TOKEN\":\"***\",\"FLAG\":\"x\"},"
        + "\"command\":[\"java\",\"-jar\",\"{artifact}\"]}}]}"));
    assertThat(lines).filteredOn(l -> l.startsWith("config")).containsExactly(
        "config    2.0.0 runs with env API_TOKEN=***, FLAG=x; command java -jar {artifact}");
  }

  @Test
  void strategiesReadAsOneLine() {
    assertThat(Views.strategy(json("{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":30},"
        + "{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}],\"sticky\":{\"header\":\"X-User-Id\"}}")))
        .isEqualTo("canary 10% (30s) → 50% (manual) → 100%, sticky X-User-Id");
    assertThat(Views.strategy(json("{\"type\":\"blue-green\",\"preview\":{\"header\":\"X-Baton-Preview\",\"equals\":\"green\"}}")))
        .isEqualTo("blue-green, preview X-Baton-Preview=green, manual promote");
  }

  @Test
  void jsonRoundTripsAndYamlIsBlockStyle() {
    String s = "{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"é\"}}";
    assertThat(Json.write(Json.parse(s))).isEqualTo(s);
    assertThat(Yaml.write(Json.parse(s))).isEqualTo("a:\n- 1\n- 2.5\n- x\n- null\n- true\nb:\n  c: é\n");
  }

  @Test
  void bytesAndTimes() {
    assertThat(Views.bytes(512)).isEqualTo("512 B");
    assertThat(Views.bytes(5 * 1024 * 1024 + 1024 * 100)).isEqualTo("5.1 MiB");
    assertThat(Views.time("2026-11-30T14:51:42.123Z")).isEqualTo("14:51:42");
  }
}
