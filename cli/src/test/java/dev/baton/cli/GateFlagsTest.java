package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.cli.client.CliException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateFlagsTest {

  @Test
  void eachGateFlagBecomesOneGateOfTheRequest() {
    assertThat(GateFlags.parse(List.of("on=step,url=http://smoke:8080/check?a=1,2,timeoutSeconds=30,onTimeout=wait",
        "on=rollback,url=https://pager.example/hook"))).containsExactly(
        Map.of("on", "step", "url", "http://smoke:8080/check?a=1,2", "timeoutSeconds", 30, "onTimeout", "wait"),
        Map.of("on", "rollback", "url", "https://pager.example/hook"));
    assertThat(GateFlags.parse(null)).isEmpty();
  }

  @Test
  void aMalformedGateFlagIsAUsageError() {
    for (String bad : List.of("url=http://x", "on=step", "step,url=http://x",
        "on=step,url=http://x,timeoutSeconds=5s")) {
      assertThatThrownBy(() -> GateFlags.parse(List.of(bad))).as(bad).isInstanceOf(CliException.class)
          .hasMessageContaining("--gate");
    }
  }
}
