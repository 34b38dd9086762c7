package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodesTest {

  @TempDir
  Path dir;

  private Cli run(String... args) {
    return Cli.run(dir.resolve("config.yaml"), args);
  }

  @Test
  void anUnreachableRegistryIsOneLineAndExitOne() {
    Cli r = run("--registry", Cli.NOWHERE, "apps");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("baton: cannot reach the registry at " + Cli.NOWHERE
        + " (connection refused) — start it with ./baton dev or pass --registry (or BATON_REGISTRY_URL, or a context)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnknownOptionIsUsageExitTwoInOneLine() {
    Cli r = run("--registry", Cli.NOWHERE, "apps", "--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--bogus").contains("baton apps --help");
  }

  @Test
  void aMissingArgumentIsUsage() {
    Cli r = run("--registry", Cli.NOWHERE, "release", "shop");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("VERSION");
  }

  @Test
  void aBadOutputFormatIsUsage() {
    Cli r = run("--registry", Cli.NOWHERE, "-o", "xml", "apps");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("-o takes table, json or yaml");
  }

  @Test
  void aRegistryUrlWithoutSchemeIsUsage() {
    Cli r = run("--registry", "registry.internal:8090", "apps");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("baton: the registry URL from --registry must start with http://");
  }

  @Test
  void anEmptyArtifactIsRefusedBeforeAnythingIsSent() throws Exception {
    Path empty = java.nio.file.Files.createFile(dir.resolve("empty.jar"));
    Cli r = run("--registry", Cli.NOWHERE, "artifact", "push", "shop", "1.0.0", empty.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is empty");
  }

  @Test
  void aFileThatIsNotASpecIsUsage() throws Exception {
    Path notSpec = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "- just\n- a list\n");
    Cli r = run("--registry", Cli.NOWHERE, "app", "apply", "shop", "-f", notSpec.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("must be a mapping of fields");
    Path noInstances = java.nio.file.Files.writeString(dir.resolve("x.yaml"), "name: shop\nhealth: /\n");
    assertThat(run("--registry", Cli.NOWHERE, "app", "apply", "-f", noInstances.toString()).err())
        .contains("is not an app spec");
  }

  @Test
  void everyCommandsHelpShowsExamples() {
    for (String cmd : new String[] {"apps", "release", "status", "promote", "rollback", "history", "events", "logs",
        "context", "artifact", "app", "completion"}) {
      Cli r = run(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Example");
    }
  }

  @Test
  void completionPrintsABashScript() {
    Cli r = run("completion", "bash");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F").contains("release").contains("--canary");
    assertThat(run("completion", "fish").code()).isEqualTo(2);
  }
}
