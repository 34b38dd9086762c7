package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextCommandTest {

  @TempDir
  Path dir;

  @Test
  void addUseListDeleteKeepTheFilePrivate() throws Exception {
    Path config = dir.resolve("nested/config.yaml");
    Path tokenFile = Files.writeString(dir.resolve("t"), "secret-2\n");
    assertThat(Cli.run(config, "context", "add", "dev", "--registry", "http://127.0.0.1:8090").code()).isZero();
    assertThat(Cli.run(config, "context", "add", "prod", "--registry", "https://prod:8090/", "--token", "secret-1").out())
        .contains("baton context use prod makes it current");
    assertThat(Cli.run(config, "context", "add", "qa", "--registry", "http://qa", "--token-file", tokenFile.toString()).code())
        .isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
    assertThat(Files.readString(config)).contains("prod").contains("secret-1").contains("https://prod:8090\n");

    Cli list = Cli.run(config, "context", "list");
    assertThat(list.out().lines().toList()).hasSize(4);
    assertThat(list.out()).contains("*  dev").doesNotContain("secret-1");

    assertThat(Cli.run(config, "context", "use", "prod").code()).isZero();
    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> rows = (List<java.util.Map<String, Object>>) Json.parse(
        Cli.run(config, "context", "list", "-o", "json").out());
    assertThat(rows).filteredOn(r -> Boolean.TRUE.equals(r.get("current"))).extracting(r -> r.get("name"))
        .containsExactly("prod");

    assertThat(Cli.run(config, "context", "delete", "prod").out()).contains("no current context now");
    assertThat(Cli.run(config, "context", "use", "prod").code()).isEqualTo(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
  }

  @Test
  void addRefusesBadInput() {
    Path config = dir.resolve("config.yaml");
    assertThat(Cli.run(config, "context", "add", "x").err()).contains("needs --registry");
    assertThat(Cli.run(config, "context", "add", "x", "--registry", "ftp://x").code()).isEqualTo(2);
    assertThat(Cli.run(config, "context", "add", "x", "--registry", "http://x", "--token", "a", "--token-file", "b").code())
        .isEqualTo(2);
    assertThat(Cli.run(config, "context", "add", "bad name", "--registry", "http://x").code()).isEqualTo(2);
    assertThat(Files.exists(config)).isFalse();
  }

  @Test
  void commandsUseTheCurrentContext() {
    Path config = dir.resolve("config.yaml");
    Cli.run(config, "context", "add", "nowhere", "--registry", Cli.NOWHERE, "--token", "t");
    Cli r = Cli.run(config, "apps");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach the registry at " + Cli.NOWHERE);
  }
}
