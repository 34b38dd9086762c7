package dev.baton.agent.isolation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File modes of the agent's data (docs/ARCHITECTURE.md, Agent, "Isolation"): directories only the agent may
 * enter, state files only it may read, artifacts nobody may change. Blocking: call from a worker thread or
 * before Vert.x runs.
 */
public final class PrivateFiles {

  public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
  /** Others may pass through to a directory below (a {@code runAs} instance's own) but not list or read it. */
  public static final Set<PosixFilePermission> TRAVERSE_DIR = PosixFilePermissions.fromString("rwx--x--x");
  public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--------");

  private PrivateFiles() {
  }

  /**
   * Creates {@code dir} (its parent must exist) with exactly {@code mode}, or gives an existing one that mode.
   * Returns the mode it had when that was another one (for the log), else null. A symbolic link is refused:
   * the agent must never change the mode of what a link points to.
   */
  public static String directory(Path dir, Set<PosixFilePermission> mode) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; the agent keeps its data in real directories");
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
      Files.setPosixFilePermissions(dir, mode); // the umask may have taken bits away
      return null;
    }
    return setMode(dir, mode);
  }

  /** Gives an existing file or directory exactly {@code mode}; returns the mode it had when another, else null. */
  public static String setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
    Set<PosixFilePermission> before = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (before.equals(mode)) {
      return null;
    }
    Files.setPosixFilePermissions(path, mode);
    return PosixFilePermissions.toString(before);
  }

  /**
   * Replaces {@code file} with {@code content} so that a reader sees the old or the new content, never half:
   * written to a temp file created 0600 (never readable by others, not even for a moment), then renamed.
   */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp); // left by a crash mid-write
    try (SeekableByteChannel out = Files.newByteChannel(tmp,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
      ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Makes {@code file} read-only for its owner and closed to everyone else. */
  public static void readOnly(Path file) throws IOException {
    Files.setPosixFilePermissions(file, READ_ONLY);
  }

  /** Gives {@code path} (not what it links to) to the user {@code uid} and group {@code gid}. */
  static void chown(Path path, int uid, int gid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  /** The numeric owner of {@code path}. */
  static int owner(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  /** The full mode of {@code path}, sticky and set-id bits included. */
  static int unixMode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode");
  }
}
