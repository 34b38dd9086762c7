package dev.baton.agent.logs;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;

/**
 * Where a log's last lines begin, and which lines to quote: the pure part of reading a log from its end. A line
 * ends with {@code '\n'}; a last line without one still counts.
 */
public final class LogTail {

  private LogTail() {
  }

  /**
   * A backward scan for the start of the last {@code lines} lines, fed the file's chunks from the end towards the
   * start. The file's last byte is left out of the scan: a {@code '\n'} there ends the last line, it does not
   * begin another.
   */
  public static final class Scan {

    private int remaining;

    public Scan(int lines) {
      this.remaining = lines;
    }

    /**
     * Scans {@code chunk}, the bytes at {@code [chunkStart, chunkStart + chunk.length())} of the file, from its
     * end: the offset where the last lines begin once found, or -1 to go on with the chunk before it (offset 0
     * when there is none: the whole file is fewer lines).
     */
    public long feed(Buffer chunk, long chunkStart) {
      if (remaining <= 0) {
        return chunkStart + chunk.length();
      }
      for (int i = chunk.length() - 1; i >= 0; i--) {
        if (chunk.getByte(i) == '\n' && --remaining == 0) {
          return chunkStart + i + 1;
        }
      }
      return -1;
    }
  }

  /**
   * The last {@code lines} lines of {@code text}, the end of a log read from {@code cut} bytes in (a first line
   * cut in the middle is dropped), without empty trailing lines.
   */
  public static List<String> lastLines(String text, boolean cut, int lines) {
    String whole = text;
    if (cut) {
      int nl = whole.indexOf('\n');
      whole = nl < 0 ? "" : whole.substring(nl + 1);
    }
    List<String> all = Arrays.stream(whole.split("\r?\n", -1)).toList();
    int end = all.size();
    while (end > 0 && all.get(end - 1).isBlank()) {
      end--;
    }
    return all.subList(Math.max(0, end - lines), end);
  }
}
