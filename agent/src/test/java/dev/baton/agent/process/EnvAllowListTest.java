package dev.baton.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EnvAllowListTest {

  @Test
  void theDefaultIsWhatAServiceManagerWouldGive() {
    EnvAllowList allow = EnvAllowList.parse("");
    assertThat(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8", "LC_ALL", "C", "LC_NUMERIC", "C", "TZ", "UTC",
        "JAVA_HOME", "/jdk", "TMPDIR", "/tmp").keySet()).allMatch(allow::allows);
    assertThat(Map.of("HOME", "/root", "USER", "root", "SSH_AUTH_SOCK", "/s", "AWS_SECRET_ACCESS_KEY", "k",
        "CONSUL_HTTP_TOKEN", "t", "LD_PRELOAD", "/x.so", "PATHX", "1").keySet()).noneMatch(allow::allows);
  }

  @Test
  void extraNamesAndPrefixesAddToTheDefault() {
    EnvAllowList allow = EnvAllowList.parse(" HTTP_PROXY , OTEL_* ,,");
    assertThat(allow.allows("HTTP_PROXY")).isTrue();
    assertThat(allow.allows("OTEL_EXPORTER_OTLP_ENDPOINT")).isTrue();
    assertThat(allow.allows("PATH")).isTrue();
    assertThat(allow.allows("HTTPS_PROXY")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"BATON_TOKEN", "BATON_*", "BAT*", "B*", "BATON*"})
  void nothingCanLetTheAgentsOwnSettingsThrough(String entry) {
    assertThatThrownBy(() -> EnvAllowList.parse(entry)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BATON_*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "A B", "1X", "X-Y", "*X", "X**"})
  void entriesMustBeNamesOrPrefixes(String entry) {
    assertThatThrownBy(() -> EnvAllowList.parse(entry)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry);
  }

  @Test
  void filterKeepsOrderAndDropsBatonEvenIfAPrefixWouldMatch() {
    EnvAllowList allow = new EnvAllowList(java.util.Set.of(), java.util.List.of(""));
    assertThat(allow.filter(Map.of("BATON_TOKEN", "x", "A", "1"))).containsOnlyKeys("A");
  }
}
