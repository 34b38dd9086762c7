package dev.baton.common.http.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the header-read deadline ({@code BATON_HEADER_TIMEOUT_MS}) of every connection of one traffic
 * server: {@link #install} puts a {@link StrictRequestDecoder} on each new connection, and {@link #sweep},
 * run periodically, times out those whose request head is overdue. The per-request cost is one
 * {@code System.nanoTime()} in the decoder.
 */
public final class HeadDeadlines {

  private final Set<StrictRequestDecoder> tracked = ConcurrentHashMap.newKeySet();
  private final HttpServerOptions options;
  private final long timeoutMs;
  private final long timeoutNanos;
  private volatile boolean warned;

  public HeadDeadlines(HttpServerOptions options, long timeoutMs) {
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** Replaces Vert.x's request decoder of a new HTTP/1.x connection; logs once and carries on if it cannot. */
  public void install(HttpConnection connection) {
    try {
      ChannelHandlerContext chctx = ((ConnectionBase) connection).channelHandlerContext();
      ChannelPipeline pipeline = chctx.pipeline();
      if (pipeline.get(StrictRequestDecoder.NAME) != null) {
        pipeline.replace(StrictRequestDecoder.NAME, StrictRequestDecoder.NAME, new StrictRequestDecoder(options, this));
      }
    } catch (RuntimeException | LinkageError e) {
      if (!warned) {
        warned = true;
        System.err.println("warning: cannot install the strict request decoder (" + e + "); CL+TE requests are "
            + "then repaired by Netty instead of refused, and the header-read deadline is off");
      }
    }
  }

  void track(StrictRequestDecoder d) {
    tracked.add(d);
  }

  void untrack(StrictRequestDecoder d) {
    tracked.remove(d);
  }

  public int open() {
    return tracked.size();
  }

  /** Times out every connection whose request head has been arriving for too long. */
  public void sweep() {
    long now = System.nanoTime();
    for (StrictRequestDecoder d : tracked) {
      if (d.headOverdue(now, timeoutNanos)) {
        untrack(d);
        d.timeOut(timeoutMs);
      }
    }
  }
}
