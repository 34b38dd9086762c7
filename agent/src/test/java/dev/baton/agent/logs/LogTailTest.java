package dev.baton.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class LogTailTest {

  /** Feeds {@code text} to a scan in chunks of {@code chunk} bytes from its end, as InstanceLog reads a file. */
  private static long start(String text, int lines, int chunk) {
    byte[] bytes = text.getBytes();
    if (bytes.length == 0) {
      return 0;
    }
    LogTail.Scan scan = new LogTail.Scan(lines);
    long end = bytes.length - 1;
    while (end > 0) {
      long from = Math.max(0, end - chunk);
      long found = scan.feed(Buffer.buffer().appendBytes(bytes, (int) from, (int) (end - from)), from);
      if (found >= 0) {
        return found;
      }
      end = from;
    }
    return 0;
  }

  @Test
  void lastLinesBeginAfterTheNthNewlineFromTheEndWhateverTheChunkSize() {
    String log = "one\ntwo\nthree\nfour\n";
    for (int chunk : new int[] {1, 2, 3, 5, 64}) {
      assertThat(log.substring((int) start(log, 2, chunk))).as("chunk " + chunk).isEqualTo("three\nfour\n");
      assertThat(log.substring((int) start(log, 1, chunk))).as("chunk " + chunk).isEqualTo("four\n");
      assertThat(start(log, 4, chunk)).isZero();
      assertThat(start(log, 10, chunk)).isZero();
    }
  }

  @Test
  void aLastLineWithoutNewlineCountsAsALine() {
    String log = "one\ntwo\nthree";
    assertThat(log.substring((int) start(log, 1, 4))).isEqualTo("three");
    assertThat(log.substring((int) start(log, 2, 4))).isEqualTo("two\nthree");
  }

  @Test
  void quotedLinesDropACutFirstLineAndTrailingBlankOnes() {
    assertThat(LogTail.lastLines("ut line\nError: Invalid or corrupt jarfile x\n\n", true, 20))
        .containsExactly("Error: Invalid or corrupt jarfile x");
    assertThat(LogTail.lastLines("a\r\nb\nc\n", false, 2)).containsExactly("b", "c");
    assertThat(LogTail.lastLines("no newline at all", true, 20)).isEmpty();
    assertThat(LogTail.lastLines("", false, 20)).isEmpty();
  }
}
