package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code baton release … --env NAME=VALUE --command ARGV}: the release's config overrides in the request body. */
class ReleaseConfigFlagsTest {

  @TempDir
  Path dir;

  private ReleaseCommand release(String... args) {
    CommandLine cl = BatonCli.commandLine(Map.of("BATON_CLI_CONFIG", dir.resolve("c.yaml").toString()),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    return (ReleaseCommand) cl.parseArgs(args).subcommand().commandSpec().userObject();
  }

  @Test
  void envAndCommandGoIntoTheBodyAsTheRegistryTakesThem() {
    Map<String, Object> body = release("release", "shop", "2.0.0", "--env", "FEATURE_X=on", "--env", "JAVA_OPTS=-Da=b",
        "--command", "java  -Xmx512m -jar {artifact}").body();
    assertThat(body).containsEntry("version", "2.0.0")
        .containsEntry("env", Map.of("FEATURE_X", "on", "JAVA_OPTS", "-Da=b"))
        .containsEntry("command", List.of("java", "-Xmx512m", "-jar", "{artifact}"));
    assertThat(release("release", "shop", "2.0.0", "--command", "[\"sh\", \"-c\", \"exec java -jar {artifact}\"]")
        .body().get("command")).isEqualTo(List.of("sh", "-c", "exec java -jar {artifact}"));
    assertThat(release("release", "shop", "2.0.0").body()).containsOnlyKeys("version");
  }

  @Test
  void aBadCommandOrEnvIsUsageBeforeAnythingIsSent() {
    Cli empty = Cli.run(dir.resolve("c.yaml"), "--registry", Cli.NOWHERE, "release", "shop", "2.0.0", "--command", " ");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("--command needs the program");
    Cli notArray = Cli.run(dir.resolve("c.yaml"), "--registry", Cli.NOWHERE, "release", "shop", "2.0.0", "--command",
        "[1, 2]");
    assertThat(notArray.code()).isEqualTo(2);
    assertThat(notArray.err()).contains("JSON array of strings");
    Cli noValue = Cli.run(dir.resolve("c.yaml"), "--registry", Cli.NOWHERE, "release", "shop", "2.0.0", "--env",
        "FEATURE_X");
    assertThat(noValue.code()).isEqualTo(2);
    assertThat(noValue.err()).contains("FEATURE_X");
  }
}
