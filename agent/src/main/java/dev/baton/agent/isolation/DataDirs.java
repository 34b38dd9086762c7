package dev.baton.agent.isolation;

import dev.baton.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The agent's data directory made private before anything else runs (docs/ARCHITECTURE.md, Agent,
 * "Isolation"): created with, or brought to, the modes below, and the files already in it tightened.
 * <pre>
 * BATON_DATA_DIR/   0700 (0711 when the agent runs as root: a runAs instance must pass through to its own dir)
 *   state/          0700, records 0600
 *   artifacts/      0700, artifacts 0400
 *   instances/      like the data dir; each instance's dir 0700 (0711 with runAs), its log 0600
 * </pre>
 */
public final class DataDirs {

  private static final int STICKY = 01000;
  private static final int OTHERS_WRITE = 0002;

  private DataDirs() {
  }

  /**
   * Prepares {@code dataDir} for this process; returns what it changed, one line each, for the log. Blocking:
   * call before Vert.x starts.
   *
   * @throws ConfigException when the directory is not the agent's own (another user's, or a shared one like /tmp)
   */
  public static List<String> prepare(Path dataDir, Path stateDir, Path artifactDir, Path instancesDir)
      throws IOException {
    return prepare(dataDir, stateDir, artifactDir, instancesDir, Accounts.currentUid());
  }

  static List<String> prepare(Path dataDir, Path stateDir, Path artifactDir, Path instancesDir, int agentUid)
      throws IOException {
    List<String> changes = new ArrayList<>();
    if (dataDir.getParent() != null) {
      Files.createDirectories(dataDir.getParent());
    }
    Path data = Files.exists(dataDir) ? dataDir.toRealPath() : dataDir;
    if (Files.exists(data)) {
      requireOwn(data, agentUid);
    }
    Set<PosixFilePermission> outer = agentUid == 0 ? PrivateFiles.TRAVERSE_DIR : PrivateFiles.PRIVATE_DIR;
    note(changes, data, PrivateFiles.directory(data, outer));
    note(changes, stateDir, PrivateFiles.directory(stateDir, PrivateFiles.PRIVATE_DIR));
    note(changes, artifactDir, PrivateFiles.directory(artifactDir, PrivateFiles.PRIVATE_DIR));
    note(changes, instancesDir, PrivateFiles.directory(instancesDir, outer));
    for (Path f : children(stateDir)) {
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        note(changes, f, PrivateFiles.setMode(f, PrivateFiles.PRIVATE_FILE));
      }
    }
    for (Path f : children(artifactDir)) {
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !f.getFileName().toString().startsWith(".")) {
        note(changes, f, PrivateFiles.setMode(f, PrivateFiles.READ_ONLY));
      }
    }
    for (Path dir : children(instancesDir)) {
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        // 0711 stays (a runAs instance's); any read or write permission for others goes.
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        note(changes, dir, PrivateFiles.setMode(dir, mode.equals(PrivateFiles.TRAVERSE_DIR) ? mode : PrivateFiles.PRIVATE_DIR));
        Path log = dir.resolve(InstanceFiles.LOG_FILE);
        if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
          note(changes, log, PrivateFiles.setMode(log, PrivateFiles.PRIVATE_FILE));
        }
      }
    }
    return changes;
  }

  private static void requireOwn(Path data, int agentUid) throws IOException {
    int mode = PrivateFiles.unixMode(data);
    if ((mode & (STICKY | OTHERS_WRITE)) != 0 || data.getParent() == null) {
      throw new ConfigException(List.of("BATON_DATA_DIR: " + data + " is a shared directory; give the agent a"
          + " directory of its own (it makes it private), e.g. " + data.resolve("baton-agent")));
    }
    int owner = PrivateFiles.owner(data);
    if (agentUid >= 0 && owner != agentUid) {
      throw new ConfigException(List.of("BATON_DATA_DIR: " + data + " belongs to uid " + owner + " but the agent"
          + " runs as uid " + agentUid + "; chown it to the agent's user or point BATON_DATA_DIR elsewhere"));
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static void note(List<String> changes, Path path, String before) throws IOException {
    if (before != null) {
      changes.add(path + " was " + before + ", now "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)));
    }
  }
}
