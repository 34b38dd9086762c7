package dev.baton.agent.isolation;

import static dev.baton.agent.isolation.InstanceFilesTest.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirsTest {

  @TempDir
  Path tmp;

  private List<String> prepare(Path data, int uid) throws Exception {
    return DataDirs.prepare(data, data.resolve("state"), data.resolve("artifacts"), data.resolve("instances"), uid);
  }

  @Test
  void aNewDataDirIsCreatedPrivate() throws Exception {
    Path data = tmp.resolve("a/b/agent");
    int me = Accounts.currentUid();

    assertThat(prepare(data, me)).isEmpty();

    String outer = me == 0 ? "rwx--x--x" : "rwx------";
    assertThat(mode(data)).isEqualTo(outer);
    assertThat(mode(data.resolve("instances"))).isEqualTo(outer);
    assertThat(mode(data.resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("artifacts"))).isEqualTo("rwx------");
  }

  @Test
  void anExistingLooseDataDirIsTightenedFilesIncluded() throws Exception {
    Path data = tmp.resolve("agent");
    for (String d : List.of("", "state", "artifacts", "instances", "instances/shop-1-a-1")) {
      Files.createDirectories(data.resolve(d));
      Files.setPosixFilePermissions(data.resolve(d), PosixFilePermissions.fromString("rwxrwxr-x"));
    }
    Path record = Files.writeString(data.resolve("state/shop-1-a-1.json"), "{}");
    Path artifact = Files.writeString(data.resolve("artifacts/" + "a".repeat(64)), "jar");
    Path log = Files.writeString(data.resolve("instances/shop-1-a-1/instance.log"), "log");
    for (Path f : List.of(record, artifact, log)) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
    }

    List<String> changes = prepare(data, Accounts.currentUid());

    assertThat(changes).hasSize(8).allMatch(c -> c.contains("was rwxrwxr-x") || c.contains("was rw-rw-r--"));
    assertThat(mode(data.resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("instances/shop-1-a-1"))).isEqualTo("rwx------");
    assertThat(mode(record)).isEqualTo("rw-------");
    assertThat(mode(artifact)).isEqualTo("r--------");
    assertThat(mode(log)).isEqualTo("rw-------");
    assertThat(prepare(data, Accounts.currentUid())).as("a second start changes nothing").isEmpty();
  }

  @Test
  void aSharedOrForeignDirectoryIsRefused() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> prepare(shared, Accounts.currentUid())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_DATA_DIR").hasMessageContaining("shared directory");
    assertThat(mode(shared)).as("left alone").isEqualTo("rwxrwxrwx");

    Path foreign = Files.createDirectory(tmp.resolve("foreign"));
    assertThatThrownBy(() -> prepare(foreign, Accounts.currentUid() + 1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("belongs to uid");
  }
}
