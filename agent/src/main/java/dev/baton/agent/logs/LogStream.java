package dev.baton.agent.logs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Streams an instance's log to an HTTP response (docs/agent.md, "Logs"): its last lines as the log stood when
 * asked, chunk by chunk with one write in flight at a time; when following, then whatever the instance appends,
 * read every {@code pollMs}. A follow ends once the instance has ended (STOPPED, FAILED, or forgotten) and the
 * file is read to its end, or when the client goes; either way the timer is cancelled and the file closed.
 */
public final class LogStream {

  private final Vertx vertx;
  private final Path log;
  private final HttpServerResponse out;
  private final boolean follow;
  private final Supplier<Future<Boolean>> ended;
  private final long pollMs;
  private AsyncFile file;
  private long pos;
  /** Without follow, where the log ended when it was asked for. */
  private long limit = Long.MAX_VALUE;
  private long timer = -1;
  private boolean done;

  private LogStream(Vertx vertx, Path log, HttpServerResponse out, boolean follow, Supplier<Future<Boolean>> ended,
                    long pollMs) {
    this.vertx = vertx;
    this.log = log;
    this.out = out;
    this.follow = follow;
    this.ended = ended;
    this.pollMs = pollMs;
  }

  /**
   * Answers 200 {@code text/plain} with the last {@code lines} lines of {@code log}, then, with {@code follow},
   * what is appended until {@code ended} says the instance ended and the file is drained.
   */
  public static void serve(Vertx vertx, Path log, int lines, boolean follow, Supplier<Future<Boolean>> ended,
                           HttpServerResponse out, long pollMs) {
    LogStream stream = new LogStream(vertx, log, out, follow, ended, pollMs);
    out.setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").setChunked(true);
    out.closeHandler(v -> stream.finish());
    out.exceptionHandler(e -> stream.finish());
    stream.begin(lines);
  }

  private void begin(int lines) {
    InstanceLog.open(vertx, log).compose(f -> {
      if (done) {
        if (f != null) {
          f.close();
        }
        return Future.succeededFuture();
      }
      file = f;
      if (f == null) {
        return Future.succeededFuture();
      }
      return f.size().compose(size -> InstanceLog.startOfLast(f, size, lines).map(start -> {
        pos = start;
        limit = follow ? Long.MAX_VALUE : size;
        return null;
      }));
    }).onSuccess(v -> {
      // Headers now, so a follower knows it is connected before the instance writes anything.
      if (follow && !done) {
        out.writeHead();
      }
      step();
    }).onFailure(e -> finish());
  }

  /** One round: is the instance over (asked before reading, so nothing it wrote is missed), then one read. */
  private void step() {
    if (done) {
      return;
    }
    Future<Boolean> over = follow ? ended.get().recover(e -> Future.succeededFuture(true))
        : Future.succeededFuture(true);
    over.onComplete(o -> read().onComplete(r -> {
      if (done) {
        return;
      }
      if (r.failed()) {
        finish();
      } else if (r.result().length() > 0) {
        pos += r.result().length();
        out.write(r.result()).onComplete(w -> {
          if (w.failed()) {
            finish();
          } else {
            step();
          }
        });
      } else if (o.result()) {
        finish();
      } else {
        timer = vertx.setTimer(pollMs, t -> {
          timer = -1;
          step();
        });
      }
    }));
  }

  /** The next chunk from {@link #pos}; empty at the end (or when there is no log yet: it is opened again). */
  private Future<Buffer> read() {
    if (file == null) {
      return follow ? InstanceLog.open(vertx, log).map(f -> {
        if (done && f != null) {
          f.close();
        } else {
          file = f;
        }
        return Buffer.buffer();
      }) : Future.succeededFuture(Buffer.buffer());
    }
    int length = (int) Math.min(InstanceLog.CHUNK, limit - pos);
    return length <= 0 ? Future.succeededFuture(Buffer.buffer()) : file.read(Buffer.buffer(length), 0, pos, length);
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (file != null) {
      file.close();
      file = null;
    }
    if (!out.ended() && !out.closed()) {
      out.end();
    }
  }
}
