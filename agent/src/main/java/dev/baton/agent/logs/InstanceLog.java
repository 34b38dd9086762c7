package dev.baton.agent.logs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystemException;
import io.vertx.core.file.OpenOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an instance's {@code instance.log} from its end with Vert.x file reads (nothing blocks an event loop, and
 * nothing loads more of the file than a chunk at a time). A log that does not exist (an instance refused before
 * its launch) reads as empty.
 */
public final class InstanceLog {

  /** Bytes read per file read, backwards when looking for the last lines and forwards when streaming them. */
  static final int CHUNK = 64 * 1024;

  private InstanceLog() {
  }

  /**
   * The last {@code lines} lines of the log, from at most its last {@code maxBytes} bytes: what a failed start
   * quotes (docs/agent.md, "Logs"). Empty when there is no log; never fails (a read error is left out).
   */
  public static Future<List<String>> lastLines(Vertx vertx, Path log, int lines, int maxBytes) {
    return open(vertx, log).compose(file -> {
      if (file == null) {
        return Future.succeededFuture(List.<String>of());
      }
      return file.size().compose(size -> {
        long from = Math.max(0, size - maxBytes);
        return file.read(Buffer.buffer((int) (size - from)), 0, from, (int) (size - from))
            .map(b -> LogTail.lastLines(b.toString(StandardCharsets.UTF_8), from > 0, lines));
      }).eventually(file::close);
    }).recover(e -> Future.succeededFuture(List.of()));
  }

  /** The log opened for reading; null when it does not exist. */
  static Future<AsyncFile> open(Vertx vertx, Path log) {
    return vertx.fileSystem().open(log.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .recover(e -> missing(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
  }

  private static boolean missing(Throwable e) {
    return e instanceof FileSystemException && e.getCause() instanceof NoSuchFileException
        || e instanceof NoSuchFileException;
  }

  /** The offset where the last {@code lines} lines of {@code file} ({@code size} bytes) begin. */
  static Future<Long> startOfLast(AsyncFile file, long size, int lines) {
    if (lines <= 0 || size == 0) {
      return Future.succeededFuture(size);
    }
    return scanBack(file, new LogTail.Scan(lines), size - 1);
  }

  private static Future<Long> scanBack(AsyncFile file, LogTail.Scan scan, long end) {
    if (end <= 0) {
      return Future.succeededFuture(0L);
    }
    long start = Math.max(0, end - CHUNK);
    int length = (int) (end - start);
    return file.read(Buffer.buffer(length), 0, start, length).compose(chunk -> {
      long found = scan.feed(chunk, start);
      return found >= 0 ? Future.succeededFuture(found) : scanBack(file, scan, start);
    });
  }
}
