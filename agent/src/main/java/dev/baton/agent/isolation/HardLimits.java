package dev.baton.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's own hard limits on private memory and open files: an agent that is not root cannot give an
 * instance more (prlimit would fail only once the instance is launched).
 */
public record HardLimits(long dataBytes, long openFiles) {

  public static final HardLimits UNLIMITED = new HardLimits(Long.MAX_VALUE, Long.MAX_VALUE);

  /** This process's limits from {@code /proc/self/limits}; unlimited where that cannot be read. Blocking. */
  static HardLimits ofThisProcess() {
    try {
      return parse(Files.readString(Path.of("/proc/self/limits")));
    } catch (IOException e) {
      return UNLIMITED;
    }
  }

  /** Parses the table of {@code /proc/<pid>/limits} (columns: name, soft, hard, units). */
  static HardLimits parse(String table) {
    long data = Long.MAX_VALUE;
    long files = Long.MAX_VALUE;
    for (String line : table.split("\n")) {
      if (line.startsWith("Max data size")) {
        data = hard(line.substring("Max data size".length()));
      } else if (line.startsWith("Max open files")) {
        files = hard(line.substring("Max open files".length()));
      }
    }
    return new HardLimits(data, files);
  }

  private static long hard(String columns) {
    String[] c = columns.trim().split("\\s+");
    if (c.length < 2 || "unlimited".equals(c[1])) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(c[1]);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
