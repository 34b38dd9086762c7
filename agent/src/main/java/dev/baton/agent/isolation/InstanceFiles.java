package dev.baton.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One instance's directory, laid out before each launch (docs/ARCHITECTURE.md, Agent, "Isolation"):
 * <pre>
 * instances/&lt;id&gt;/          the agent's; 0700, or 0711 when the instance runs as another user
 *   instance.log           the agent's, 0600: stdout and stderr, opened by the agent
 *   artifact               with runAs: a verified copy of the artifact, the user's, 0400
 *   work/                  the instance's working directory, 0700, the user's with runAs
 * </pre>
 * Only {@code work/} belongs to a {@code runAs} user: everything the agent opens or writes itself stays in a
 * directory that user cannot change, so the user cannot swap a file for a link and have the agent write through it.
 */
public record InstanceFiles(Path workDir, Path logFile, Path artifact) {

  public static final String LOG_FILE = "instance.log";
  static final String WORK_DIR = "work";
  static final String ARTIFACT_COPY = "artifact";

  /**
   * Lays out {@code dir} and checks the cached artifact's sha256 again; with a user switch the instance gets its
   * own verified copy, since it cannot read the agent's artifact cache. Blocking.
   */
  static InstanceFiles prepare(Path dir, Path cached, String sha256, Confinement confinement) throws IOException {
    Account owner = confinement.switchesUser() ? confinement.account() : null;
    PrivateFiles.directory(dir, owner == null ? PrivateFiles.PRIVATE_DIR : PrivateFiles.TRAVERSE_DIR);
    Path log = dir.resolve(LOG_FILE);
    if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(log);
      Files.createFile(log, PosixFilePermissions.asFileAttribute(PrivateFiles.PRIVATE_FILE));
    }
    PrivateFiles.setMode(log, PrivateFiles.PRIVATE_FILE);
    Path work = dir.resolve(WORK_DIR);
    PrivateFiles.directory(work, PrivateFiles.PRIVATE_DIR);
    if (owner == null) {
      ArtifactCheck.verify(cached, sha256);
      return new InstanceFiles(work, log, cached);
    }
    PrivateFiles.chown(work, owner.uid(), owner.gid());
    Path copy = dir.resolve(ARTIFACT_COPY);
    ArtifactCheck.copyVerified(cached, sha256, copy, owner);
    return new InstanceFiles(work, log, copy);
  }
}
