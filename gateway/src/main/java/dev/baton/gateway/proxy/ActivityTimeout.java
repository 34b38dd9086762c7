package dev.baton.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An idle timeout that costs nothing per message: a read or a write only sets a flag, and one task per connection
 * looks at it {@value #CHECKS} times per timeout. After {@value #CHECKS} looks in a row without activity it fires
 * Netty's {@link IdleStateEvent#ALL_IDLE_STATE_EVENT}, on which Vert.x closes the connection, as it does for its own
 * idle handler. So the timeout fires between the timeout and a {@value #CHECKS}th of it later. Netty's
 * {@code IdleStateHandler}, which this takes the place of, reads the clock on every read and adds a listener to every
 * write (docs/ARCHITECTURE.md, Gateway, "Idle timeouts"). A write counts when it is made, not when the socket took it.
 */
abstract class ActivityTimeout extends ChannelDuplexHandler {

  static final int CHECKS = 4;

  private final long periodMs;
  private boolean active;
  private int quiet;
  private ScheduledFuture<?> task;

  ActivityTimeout(long timeoutMs) {
    this.periodMs = Math.max(1, timeoutMs / CHECKS);
  }

  /** Whether the timeout may close the connection now; a subclass holds it off while a response is owed. */
  protected boolean mayClose() {
    return true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    active = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    active = true;
    ctx.write(msg, promise);
  }

  private void start(ChannelHandlerContext ctx) {
    if (task == null) {
      active = true;
      task = ctx.executor().scheduleAtFixedRate(() -> check(ctx), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
  }

  private void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void check(ChannelHandlerContext ctx) {
    if (active || !mayClose()) {
      active = false;
      quiet = 0;
      return;
    }
    if (++quiet >= CHECKS) {
      quiet = 0;
      ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
  }
}
