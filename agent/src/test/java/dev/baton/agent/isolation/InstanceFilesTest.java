package dev.baton.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceFilesTest {

  private static final Account NOBODY = new Account("nobody", 65534, 65534, "/nonexistent");

  @TempDir
  Path tmp;

  @Test
  void anInstanceOfTheAgentsOwnUserRunsTheVerifiedCacheInAPrivateDir() throws Exception {
    Path cached = artifact("app bytes");
    Path dir = tmp.resolve("shop-1-a-1");

    InstanceFiles files = InstanceFiles.prepare(dir, cached, sha256("app bytes"), Confinement.NONE);

    assertThat(files.artifact()).isEqualTo(cached);
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(files.workDir())).isEqualTo("rwx------");
    assertThat(files.workDir()).isEqualTo(dir.resolve("work"));
    assertThat(mode(files.logFile())).isEqualTo("rw-------");
  }

  @Test
  void aCachedArtifactChangedOnDiskIsRemovedAndRefused() throws Exception {
    Path cached = artifact("app bytes");
    String expected = sha256("app bytes");
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(cached, "app bytez");
    String actual = sha256("app bytez");

    assertThatThrownBy(() -> InstanceFiles.prepare(tmp.resolve("i"), cached, expected, Confinement.NONE))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.code()).isEqualTo("artifact_corrupt");
          assertThat(e.getMessage()).contains(expected).contains(actual);
        });
    assertThat(cached).doesNotExist();
  }

  @Test
  void aMissingCachedArtifactIsRefused() {
    assertThatThrownBy(() -> InstanceFiles.prepare(tmp.resolve("i"), tmp.resolve("gone"), "a".repeat(64),
        Confinement.NONE)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("artifact_missing"));
  }

  @Test
  void aLogReplacedByALinkIsNotFollowed() throws Exception {
    Path dir = tmp.resolve("i");
    Files.createDirectory(dir);
    Path target = tmp.resolve("target");
    Files.writeString(target, "keep");
    Files.createSymbolicLink(dir.resolve(InstanceFiles.LOG_FILE), target);

    InstanceFiles files = InstanceFiles.prepare(dir, artifact("x"), sha256("x"), Confinement.NONE);

    assertThat(Files.isSymbolicLink(files.logFile())).isFalse();
    assertThat(Files.readString(target)).isEqualTo("keep");
  }

  @Test
  void aRunAsInstanceOwnsOnlyItsWorkDirAndItsVerifiedCopy() throws Exception {
    assumeTrue(Accounts.currentUid() == 0, "changing owners needs root");
    Path cached = artifact("app bytes");
    Path dir = tmp.resolve("shop-1-a-1");
    Confinement asNobody = new Confinement(NOBODY, Path.of("/usr/bin/setpriv"), Limits.NONE, null);

    InstanceFiles files = InstanceFiles.prepare(dir, cached, sha256("app bytes"), asNobody);

    assertThat(mode(dir)).isEqualTo("rwx--x--x");
    assertThat(PrivateFiles.owner(dir)).isZero();
    assertThat(PrivateFiles.owner(files.workDir())).isEqualTo(65534);
    assertThat(PrivateFiles.owner(files.logFile())).isZero();
    assertThat(files.artifact()).isEqualTo(dir.resolve("artifact"));
    assertThat(PrivateFiles.owner(files.artifact())).isEqualTo(65534);
    assertThat(mode(files.artifact())).isEqualTo("r--------");
    assertThat(Files.readString(files.artifact())).isEqualTo("app bytes");
  }

  private Path artifact(String content) throws Exception {
    Path p = tmp.resolve("cache-" + content.hashCode());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    PrivateFiles.readOnly(p);
    return p;
  }

  static String sha256(String content) throws java.security.NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
