package dev.baton.gateway.handover;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ShutdownEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the port's shutdown from closing a connection that was accepted during the handover but has not
 * delivered its first request yet (docs/ARCHITECTURE.md, Gateway, "Replacing a gateway"). Vert.x closes an
 * HTTP/1.x connection with no request in progress at once when its server shuts down; for a connection accepted
 * a moment before, the client has sent (or is sending) its request and would see a reset. So the shutdown is
 * held until the first request reaches Vert.x (which then closes the connection after its response), or for
 * {@value #WAIT_MS} ms. Installed only on connections accepted while the gateway stops: no cost otherwise.
 * Uses Vert.x's connection internals, as {@code HeadDeadlines} does; if they change, it logs once and the
 * connection is shut down as Vert.x does by itself.
 */
public final class FirstRequestWait extends ChannelInboundHandlerAdapter {

  /** How long a new connection may take to deliver its first request once the port shuts down. */
  static final long WAIT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWait.class);
  private static volatile boolean warned;

  private Object held;
  private ScheduledFuture<?> timer;

  FirstRequestWait() {
  }

  /** Adds the wait in front of Vert.x's handler of {@code connection} (after the HTTP decoder). */
  public static void install(HttpConnection connection) {
    try {
      ChannelHandlerContext vertx = ((ConnectionBase) connection).channelHandlerContext();
      vertx.pipeline().addBefore(vertx.name(), "baton-first-request-wait", new FirstRequestWait());
    } catch (RuntimeException | LinkageError e) {
      if (!warned) {
        warned = true;
        LOG.warn("cannot wait for the first request of connections accepted while stopping ({}); they are closed"
            + " at once when the port shuts down", e.toString());
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg); // Vert.x now has a request in progress: a shutdown closes after its response
    ctx.pipeline().remove(this);
    release(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ShutdownEvent && held == null) {
      held = evt;
      timer = ctx.executor().schedule(() -> release(ctx), WAIT_MS, TimeUnit.MILLISECONDS);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held = null; // the connection is gone: nothing left to shut down
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private void release(ChannelHandlerContext ctx) {
    Object evt = held;
    held = null;
    if (timer != null) {
      timer.cancel(false);
    }
    if (evt != null) {
      ctx.fireUserEventTriggered(evt);
    }
  }
}
