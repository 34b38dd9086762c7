package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code baton group create …}: the request body from APP=VERSION pairs or a file, and the usage errors. */
class GroupCommandTest {

  @TempDir
  Path dir;

  private GroupCommand.Create create(String... args) {
    CommandLine cl = BatonCli.commandLine(Map.of("BATON_CLI_CONFIG", dir.resolve("c.yaml").toString()),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    return (GroupCommand.Create) cl.parseArgs(args).subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  @SuppressWarnings("unchecked")
  void pairsShareTheStrategyFlagsAndAFileIsSentAsItIs() throws Exception {
    Map<String, Object> body = create("group", "create", "shop=2.0.0", "billing=1.3.0", "--canary", "20,100",
        "--pause", "30s").body();
    List<Map<String, Object>> releases = (List<Map<String, Object>>) body.get("releases");
    assertThat(releases).extracting(r -> r.get("app")).containsExactly("shop", "billing");
    assertThat(releases).extracting(r -> r.get("version")).containsExactly("2.0.0", "1.3.0");
    assertThat(releases.get(0).get("strategy")).isEqualTo(releases.get(1).get("strategy"));
    assertThat((Map<String, Object>) releases.get(0).get("strategy")).containsEntry("type", "canary");
    assertThat(create("group", "create", "shop=2.0.0").body().get("releases"))
        .isEqualTo(List.of(Map.of("app", "shop", "version", "2.0.0")));

    Path file = dir.resolve("group.yaml");
    Files.writeString(file, "releases:\n  - {app: shop, version: 2.0.0, strategy: {type: blue-green}}\n");
    assertThat(create("group", "create", "-f", file.toString()).body())
        .isEqualTo(Map.of("releases", List.of(Map.of("app", "shop", "version", "2.0.0",
            "strategy", Map.of("type", "blue-green")))));
  }

  @Test
  void badMembersOrAFileWithPairsAreUsageErrorsBeforeAnythingIsSent() throws Exception {
    Path config = dir.resolve("c.yaml");
    Cli noEq = Cli.run(config, "--registry", Cli.NOWHERE, "group", "create", "shop", "billing=1.3.0");
    assertThat(noEq.code()).isEqualTo(2);
    assertThat(noEq.err()).contains("'shop' is not APP=VERSION");
    Cli none = Cli.run(config, "--registry", Cli.NOWHERE, "group", "create");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("name the members as APP=VERSION");
    Path file = dir.resolve("g.json");
    Files.writeString(file, "{\"releases\": []}");
    Cli both = Cli.run(config, "--registry", Cli.NOWHERE, "group", "create", "-f", file.toString(), "shop=2.0.0");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("-f gives the whole group");
    Files.writeString(file, "{\"version\": \"2.0.0\"}");
    Cli notGroup = Cli.run(config, "--registry", Cli.NOWHERE, "group", "create", "-f", file.toString());
    assertThat(notGroup.code()).isEqualTo(2);
    assertThat(notGroup.err()).contains("is not a release group");
    Cli unreachable = Cli.run(config, "--registry", Cli.NOWHERE, "group", "status", "g-1");
    assertThat(unreachable.code()).isEqualTo(1);
    Cli bare = Cli.run(config, "--registry", Cli.NOWHERE, "group");
    assertThat(bare.code()).isEqualTo(2);
    assertThat(bare.err()).contains("create").contains("status").contains("abort");
  }
}
