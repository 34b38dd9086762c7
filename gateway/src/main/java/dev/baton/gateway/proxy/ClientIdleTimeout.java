package dev.baton.gateway.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connection's idle timeout ({@code BATON_IDLE_TIMEOUT_S}, gateway/README.md "Timeouts"), which does not
 * run while the gateway owes the client a response: from the end of a request until the end of its response, the
 * instance's silence is bounded by {@code BATON_UPSTREAM_TIMEOUT_MS} alone (504 before a response head) and a
 * streamed response by its bytes. Before that (a request head or body arriving) and after (a keep-alive connection
 * waiting for its next request) it closes a connection without a byte either way, as Vert.x's own timeout does.
 * <p>It takes the place of Vert.x's idle handler in each connection's pipeline (named {@value #NAME}; whether that
 * sits before or after the HTTP codec depends on TLS and the transport, so what counts as activity stays Vert.x's),
 * and a small handler just before Vert.x's own ({@value #HANDLER}) counts whole requests and responses for it: a
 * complete request ({@link LastHttpContent} in) opens a debt, a complete response ({@link LastHttpContent} out, or a
 * {@code 101}) pays it; a response that ends before its request (an early refusal) pays the request ahead.
 * Counters, no timer per request; activity is noticed as {@link ActivityTimeout} notices it. Relies on Vert.x's
 * pipeline layout ({@code NetServerImpl.initChannel}, {@code HttpServerConnectionInitializer}); re-check it on a
 * Vert.x upgrade.
 */
final class ClientIdleTimeout extends ActivityTimeout {

  static final String NAME = "idle";
  /** Vert.x's connection handler, the last of the pipeline. */
  static final String HANDLER = "handler";
  static final String DEBTS = "idleDebts";
  private static final Logger LOG = LoggerFactory.getLogger(ClientIdleTimeout.class);
  private static volatile boolean warned;

  /** Complete requests whose response has not ended yet. */
  private int owed;
  /** Responses that ended before their request did. */
  private int ahead;
  private final ChannelDuplexHandler debts = new ChannelDuplexHandler() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof LastHttpContent) {
        if (ahead > 0) {
          ahead--;
        } else {
          owed++;
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse r && r.status().code() < 200) {
        if (r.status().code() == 101) {
          paid(); // an upgraded connection carries a session, no more responses: idle again as a raw connection
        }
      } else if (msg instanceof LastHttpContent) {
        paid();
      }
      ctx.write(msg, promise);
    }
  };

  ClientIdleTimeout(int seconds) {
    super(TimeUnit.SECONDS.toMillis(seconds));
  }

  /** Replaces Vert.x's idle handler of a new HTTP/1.x connection; logs once and keeps Vert.x's if it cannot. */
  static void install(HttpConnection connection, int seconds) {
    try {
      ChannelPipeline pipeline = ((ConnectionBase) connection).channelHandlerContext().pipeline();
      ChannelHandler idle = pipeline.get(NAME);
      if (idle instanceof IdleStateHandler && pipeline.get(HANDLER) != null) {
        ClientIdleTimeout timeout = new ClientIdleTimeout(seconds);
        pipeline.replace(NAME, NAME, timeout);
        pipeline.addBefore(HANDLER, DEBTS, timeout.debts);
      } else if (!warned) {
        warned = true;
        LOG.warn("the gateway's idle timeout found no idle handler to replace; Vert.x's pipeline changed?");
      }
    } catch (RuntimeException | LinkageError e) {
      if (!warned) {
        warned = true;
        LOG.warn("cannot install the gateway's idle timeout ({}); Vert.x's runs instead, and it also cuts requests "
            + "waiting on an instance longer than BATON_IDLE_TIMEOUT_S", e.toString());
      }
    }
  }

  /** The handler that counts requests and responses for this timeout; it goes just before Vert.x's handler. */
  ChannelHandler debts() {
    return debts;
  }

  private void paid() {
    if (owed > 0) {
      owed--;
    } else {
      ahead++;
    }
  }

  @Override
  protected boolean mayClose() {
    return owed == 0;
  }
}
