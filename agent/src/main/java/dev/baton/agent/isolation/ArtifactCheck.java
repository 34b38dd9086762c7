package dev.baton.agent.isolation;

import dev.baton.agent.artifact.Sha256;
import dev.baton.common.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The sha256 of a cached artifact, checked again right before each launch (docs/ARCHITECTURE.md, Agent,
 * "Isolation"): the download was verified, but the file may have changed on disk since (corruption, tampering).
 * A file that no longer matches is deleted, so the next start downloads it again, and nothing runs. Blocking.
 */
final class ArtifactCheck {

  private static final int BUFFER = 64 * 1024;

  private ArtifactCheck() {
  }

  /** Verifies {@code cached} in place. */
  static void verify(Path cached, String expected) throws IOException {
    requirePresent(cached);
    String actual;
    try (InputStream in = Files.newInputStream(cached, LinkOption.NOFOLLOW_LINKS)) {
      actual = copy(in, OutputStream.nullOutputStream());
    }
    requireMatch(cached, expected, actual);
  }

  /**
   * Copies {@code cached} to {@code target} for {@code owner}, hashing the bytes as they are copied (so the
   * check covers exactly what will run), then gives the copy to {@code owner}, read-only.
   */
  static void copyVerified(Path cached, String expected, Path target, Account owner) throws IOException {
    requirePresent(cached);
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      String actual;
      try (InputStream in = Files.newInputStream(cached, LinkOption.NOFOLLOW_LINKS);
           OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        actual = copy(in, out);
      }
      requireMatch(cached, expected, actual);
      Files.setPosixFilePermissions(tmp, PrivateFiles.READ_ONLY);
      PrivateFiles.chown(tmp, owner.uid(), owner.gid());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void requirePresent(Path cached) {
    if (!Files.isRegularFile(cached, LinkOption.NOFOLLOW_LINKS)) {
      throw new ApiException(422, "artifact_missing", "the cached artifact " + cached + " is gone (removed since it"
          + " was downloaded); nothing was started. Start the instance again: the agent downloads it anew.");
    }
  }

  private static void requireMatch(Path cached, String expected, String actual) throws IOException {
    if (!actual.equals(expected)) {
      Files.deleteIfExists(cached);
      throw new ApiException(422, "artifact_corrupt", "the cached artifact " + cached + " now has sha256 " + actual
          + ", not the " + expected + " verified at download: it changed on disk (corruption or tampering). It was"
          + " removed and nothing was started; start the instance again to download it anew.");
    }
  }

  private static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = Sha256.digest();
    byte[] buffer = new byte[BUFFER];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return Sha256.hex(digest);
  }
}
