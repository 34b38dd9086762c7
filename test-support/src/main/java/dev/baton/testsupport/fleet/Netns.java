package dev.baton.testsupport.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ip} commands the fleet is built with, run as child processes with a deadline. Every failure throws
 * with the command and its output, so a broken step of the set-up or the clean-up says which one.
 */
final class Netns {

  private static final long TIMEOUT_SECONDS = 20;

  private Netns() {
  }

  /** Runs {@code ip args...}, returns its stdout; throws when it fails. */
  static String ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs {@code ip args...}, ignoring a failure (clean-up of what may already be gone). */
  static void ipQuietly(String... args) {
    try {
      ip(args);
    } catch (RuntimeException e) {
      // already gone, or never made: nothing to clean
    }
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  /**
   * Why network namespaces cannot be made here, or empty when they can: the fleet needs root (CAP_NET_ADMIN) and
   * an {@code ip} with netns support. Probed by making and deleting a namespace, the only check that proves it.
   */
  static Optional<String> unavailableBecause() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return Optional.of("network namespaces are Linux only (this is " + System.getProperty("os.name") + ")");
    }
    String uid;
    try {
      uid = run(List.of("id", "-u")).strip();
    } catch (RuntimeException e) {
      return Optional.of("cannot tell the user id: " + e.getMessage());
    }
    if (!"0".equals(uid)) {
      return Optional.of("the fleet needs root to make network namespaces, veth pairs and a bridge (uid is " + uid
          + "); run it as root, e.g. in CI's container");
    }
    String probe = "btprobe-" + ProcessHandle.current().pid();
    try {
      ip("netns", "add", probe);
    } catch (RuntimeException e) {
      return Optional.of("'ip netns add' does not work here: " + e.getMessage());
    } finally {
      ipQuietly("netns", "del", probe);
    }
    return Optional.empty();
  }
}
