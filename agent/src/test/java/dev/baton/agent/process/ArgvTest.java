package dev.baton.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgvTest {

  @Test
  void defaultTemplateRunsTheArtifactWithJava() {
    assertThat(Argv.render(List.of("java", "-jar", "{artifact}"), "/data/artifacts/ab12", 20001))
        .containsExactly("java", "-jar", "/data/artifacts/ab12");
  }

  @Test
  void placeholdersAreReplacedInsideArgumentsWithoutSplittingThem() {
    assertThat(Argv.render(List.of("app", "--listen=:{port}", "--jar={artifact}", "{port}{port}"), "/a b", 7))
        .containsExactly("app", "--listen=:7", "--jar=/a b", "77");
  }

  @Test
  void shellSyntaxInAValueStaysOneLiteralArgument() {
    assertThat(Argv.render(List.of("run", "{artifact}"), "x; rm -rf / #", 1)).containsExactly("run", "x; rm -rf / #");
  }

  @Test
  void unknownPlaceholdersAreLeftAlone() {
    assertThat(Argv.render(List.of("{host}"), "a", 1)).containsExactly("{host}");
  }

  @Test
  void environmentKeepsOnlyAllowedAgentVariablesAndOwnsPortAndInstanceId() {
    Map<String, String> env = Argv.environment(
        Map.of("PATH", "/usr/bin", "LC_TIME", "C", "BATON_TOKEN", "secret", "BATON_HTTP_PORT", "8070",
            "AWS_SECRET_ACCESS_KEY", "agent-only", "HOME", "/root"),
        EnvAllowList.parse(""), Map.of(), Map.of("FEATURE", "on", "PORT", "1"), 20001, "shop-1.0.0-a-20001");
    assertThat(env).containsOnlyKeys("PATH", "LC_TIME", "FEATURE", "PORT", "BATON_INSTANCE_ID")
        .containsEntry("PATH", "/usr/bin").containsEntry("FEATURE", "on")
        .containsEntry("PORT", "20001").containsEntry("BATON_INSTANCE_ID", "shop-1.0.0-a-20001");
  }

  @Test
  void layersOverrideInOrderInheritedIdentityRequestedAgent() {
    Map<String, String> env = Argv.environment(Map.of("PATH", "/agent/bin", "HOME", "/root"),
        EnvAllowList.parse("HOME"), Map.of("HOME", "/nonexistent", "USER", "nobody"),
        Map.of("PATH", "/app/bin", "BATON_INSTANCE_ID", "forged"), 7, "shop-1-a-7");
    assertThat(env).containsEntry("PATH", "/app/bin").containsEntry("HOME", "/nonexistent")
        .containsEntry("USER", "nobody").containsEntry("BATON_INSTANCE_ID", "shop-1-a-7");
  }
}
