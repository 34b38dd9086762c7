package dev.baton.common.http.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The last response of a connection: a refusal after which nothing more is read. A request refused because its
 * framing, target or head cannot be trusted leaves the bytes after it untrusted too (request smuggling): they
 * must not become a request. {@link #stopReading} turns the connection's {@link StrictRequestDecoder} into a
 * sink for everything after the refused request; {@link #guard} drops a pipelined request decoded before the
 * refusal; {@link #closeAfter} ends the connection once the refusal is written, with a lingering close so that
 * a client still sending does not get a reset that destroys the response (nginx's {@code lingering_close}).
 * Relies on Vert.x internals as {@link HeadDeadlines} does; without the strict decoder the connection simply
 * closes after the response.
 */
public final class LastResponse {

  private LastResponse() {
  }

  /**
   * {@code req} is refused and its response is the connection's last: later bytes are discarded, never decoded,
   * and requests already decoded behind it are not handled ({@link #guard}). Call it while handling {@code req}.
   */
  public static void stopReading(HttpServerRequest req) {
    StrictRequestDecoder d = decoder(req);
    if (d != null) {
      d.refuse();
    }
  }

  /** True when a request before {@code req} on its connection was refused with {@link #stopReading}. */
  public static boolean afterRefusal(HttpServerRequest req) {
    StrictRequestDecoder d = decoder(req);
    return d != null && d.refused();
  }

  /**
   * {@code handler}, except for requests behind a refusal: Vert.x hands a request pipelined behind the refused
   * one (decoded before the refusal) to the handler once the refusal's response ends; it is dropped unanswered,
   * as the connection closes. A request the decoder itself found invalid is still handled (answered 4xx/505):
   * the decoder stops there, but what it decoded before is legitimate and answered in order.
   */
  public static Handler<HttpServerRequest> guard(Handler<HttpServerRequest> handler) {
    return req -> {
      if (!afterRefusal(req)) {
        handler.handle(req);
      }
    };
  }

  /**
   * Once {@code written} completes: output is shut (the client reads the response, then end of stream), input is
   * discarded until the client closes or {@link StrictRequestDecoder#LINGER_MS} pass, then the connection closes.
   */
  public static void closeAfter(HttpServerRequest req, Future<?> written) {
    StrictRequestDecoder d = decoder(req);
    written.onComplete(ar -> {
      if (d != null && ar.succeeded()) {
        StrictRequestDecoder.lingeringClose(d.channel());
      } else {
        req.connection().close();
      }
    });
  }

  private static StrictRequestDecoder decoder(HttpServerRequest req) {
    if (!(req.connection() instanceof ConnectionBase c)) {
      return null;
    }
    ChannelHandlerContext ctx = c.channelHandlerContext();
    ChannelHandler h = ctx == null ? null : ctx.pipeline().get(StrictRequestDecoder.NAME);
    return h instanceof StrictRequestDecoder d ? d : null;
  }
}
