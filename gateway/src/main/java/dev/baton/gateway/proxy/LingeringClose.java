package dev.baton.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * Closing a client connection that may still be sending (nginx's lingering close; docs/ARCHITECTURE.md, Gateway,
 * "Request bodies"): closing a socket with unread input makes the kernel answer with a reset, which can destroy
 * the error response before the client read it. So input is read and discarded — never parsed as a next
 * request — output is shut after the response, and the socket closes when the client does or after the linger.
 * Relies on Vert.x internals ({@code ConnectionBase}); without them it falls back to a plain close.
 */
final class LingeringClose {

  /** How long input is discarded after the response before the socket closes (as for a late request head). */
  static final long LINGER_MS = 2000;
  private static final String NAME = "batonDiscardInput";

  private LingeringClose() {
  }

  /** From now on every byte the client sends is dropped before the HTTP decoder. Call on the connection's loop. */
  static void discardInput(HttpConnection connection) {
    Channel ch = channel(connection);
    if (ch == null || ch.pipeline().get(NAME) != null) {
      return;
    }
    ch.pipeline().addFirst(NAME, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
      }
    });
    ch.config().setAutoRead(true);
  }

  /** Shuts output (the response is written), then closes after {@code lingerMs} unless the client closed first. */
  static void close(HttpConnection connection, long lingerMs) {
    Channel ch = channel(connection);
    if (ch instanceof DuplexChannel duplex && ch.isActive()) {
      duplex.shutdownOutput()
          .addListener(shut -> ch.eventLoop().schedule(() -> ch.close(), lingerMs, TimeUnit.MILLISECONDS));
    } else {
      connection.close();
    }
  }

  private static Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase c ? c.channel() : null;
  }
}
