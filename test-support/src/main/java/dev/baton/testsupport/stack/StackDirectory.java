package dev.baton.testsupport.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a stack keeps its files: a temporary directory for every data dir (app instances' command lines name an
 * artifact under it, which finds them), and {@code target/stack-logs/<cluster name>/} for the logs, which outlive
 * the stack for the post-mortem.
 */
record StackDirectory(Path dir, Path logDir) {

  static StackDirectory create(String clusterName) {
    Path logDir = Path.of("target", "stack-logs", clusterName).toAbsolutePath();
    try {
      // Traversable by all, as /var/lib is: an instance run as another user (runAs) must reach its own dir below.
      Path dir = Files.createTempDirectory("baton-" + clusterName + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
      Files.createDirectories(logDir);
      return new StackDirectory(dir, logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directories of stack " + clusterName, e);
    }
  }

  /** Every running process whose command line names {@link #dir()}. */
  List<ProcessHandle> processes() {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(ProcessHandle::isAlive).toList();
  }

  /** Copies the logs under {@link #dir()} (app instances') to {@link #logDir()}, then deletes {@link #dir()}. */
  void keepLogsAndDelete() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        Path target = logDir.resolve(dir.relativize(log));
        Files.createDirectories(target.getParent());
        Files.copy(log, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("cannot keep the instance logs of " + dir + ": " + e);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }
}
