package dev.baton.registry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostLivenessTest {

  private static final long LOST_MS = 10_000;

  /**
   * A script of what the registry saw, then agent a's state. {@code scan@t a+ b-}: a discovery scan at t ms in
   * which a passes and b does not (an agent left out is absent from Consul); {@code list@t a-}: a did not answer
   * a LIST at t ({@code a+}: it did). Watching starts at 0.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "scan@0 a+                                          | LIVE",
      "scan@0 a+; scan@5000 a-                            | SUSPECT",
      "scan@0 a+; scan@5000 a-; scan@9999 a-              | SUSPECT",
      "scan@0 a+; scan@5000 a-; scan@10000 a-             | LOST",
      "scan@0 a+; scan@5000 a-; scan@10000 a-; scan@11000 a+ | LIVE",
      "scan@0 a+; scan@20000                              | LOST",
      "scan@0 a+; list@1000 a-                            | SUSPECT",
      "scan@0 a+; list@1000 a-; scan@9000 a+              | SUSPECT",
      "scan@0 a+; list@1000 a-; scan@12000 a+             | LOST",
      "scan@0 a+; list@1000 a-; scan@12000 a+; list@12500 a+ | LIVE",
      "scan@0 a+; list@1000 a+; list@2000 a-; scan@10500 a+ | SUSPECT",
      "scan@0 a+; list@1000 a+; list@2000 a-; scan@12000 a+ | LOST",
      "scan@0 a-                                          | SUSPECT",
      "scan@0 a-; scan@10000 a-                           | LOST",
      "scan@3000 a-; scan@9000 a-                         | SUSPECT",
      "scan@0 b+                                          | SUSPECT",
      "scan@0 b+; scan@10000 b+                           | LOST",
      "scan@0 a+; list@500 a-; list@600 a+                | LIVE",
  })
  void hostStateFollowsTheLastTimeTheAgentPassedAndAnswered(String script, HostState expected) {
    HostLiveness liveness = new HostLiveness(LOST_MS, 0);
    for (String step : script.split(";")) {
      String[] words = step.trim().split(" ");
      long at = Long.parseLong(words[0].substring(words[0].indexOf('@') + 1));
      Map<String, Boolean> seen = new TreeMap<>();
      for (int i = 1; i < words.length; i++) {
        seen.put(words[i].substring(0, words[i].length() - 1), words[i].endsWith("+"));
      }
      if (words[0].startsWith("scan")) {
        liveness.scanned(seen, at);
      } else {
        seen.forEach((agent, ok) -> liveness.answered(agent, ok, at));
      }
    }
    assertThat(liveness.state("a")).isEqualTo(expected);
  }

  /** A Consul outage stops the clock: no scan, no host lost, however long it lasts. */
  @org.junit.jupiter.api.Test
  void noHostIsLostWhileScansFail() {
    HostLiveness liveness = new HostLiveness(LOST_MS, 0);
    liveness.scanned(Map.of("a", true), 0);
    liveness.answered("a", false, 60_000);

    assertThat(liveness.state("a")).isEqualTo(HostState.SUSPECT);
    assertThat(liveness.states()).containsEntry("a", HostState.SUSPECT);
  }
}
