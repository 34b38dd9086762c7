package dev.baton.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a process is really running. Unlike {@link ProcessHandle#isAlive()}, an exited process
 * that its parent has not reaped yet (a zombie, which holds no ports, files or memory) counts as gone:
 * orphans are reaped by init, which on some machines happens seconds later.
 */
public final class Processes {

  private Processes() {
  }

  /** Whether the process with this pid exists and is not a zombie. */
  public static boolean isRunning(long pid) {
    return ProcessHandle.of(pid).map(Processes::isRunning).orElse(false);
  }

  /** Whether the process exists and is not a zombie. */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      // Format: "pid (command) state ...", where the command may itself contain ") ".
      String text = new String(Files.readAllBytes(stat), StandardCharsets.UTF_8);
      int end = text.lastIndexOf(')');
      char state = end >= 0 && end + 2 < text.length() ? text.charAt(end + 2) : 'R';
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      // Without procfs (macOS) trust the JDK; with it, an unreadable stat means the process just vanished.
      return !Files.isDirectory(Path.of("/proc", "self")) && process.isAlive();
    }
  }

  /**
   * Running processes whose initial environment holds {@code variable=1} (Linux only; elsewhere none).
   * Processes of other users, whose environment cannot be read, are skipped.
   */
  static List<ProcessHandle> withMark(String variable) {
    byte[] entry = (variable + "=1").getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : proc) {
        try {
          if (holdsEntry(Files.readAllBytes(dir.resolve("environ")), entry)) {
            ProcessHandle.of(Long.parseLong(dir.getFileName().toString()))
                .filter(Processes::isRunning).ifPresent(found::add);
          }
        } catch (IOException | NumberFormatException e) {
          // gone meanwhile, or another user's process: not one of ours
        }
      }
    } catch (IOException e) {
      return found; // no procfs
    }
    return found;
  }

  private static boolean holdsEntry(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length && Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
