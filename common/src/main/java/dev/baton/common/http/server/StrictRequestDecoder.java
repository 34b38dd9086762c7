package dev.baton.common.http.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's HTTP/1.x request decoder with these additions every baton HTTP port uses:
 * <ul>
 *   <li>A request line whose version is not exactly {@code HTTP/1.1} or {@code HTTP/1.0} is invalid with
 *       {@link UnsupportedHttpVersion} (answered 505); Netty would take {@code HTTP/1.2} or the HTTP/2 preface
 *       {@code PRI * HTTP/2.0} as a request, and Vert.x would answer it {@code 501} in the client's version.
 *       An invalid request is answered in HTTP/1.1, whatever version it claimed.</li>
 *   <li>Once a request is invalid or refused ({@link LastResponse#stopReading}), every later byte of the
 *       connection is discarded undecoded: nothing after a refusal becomes a request.</li>
 *   <li>Every request line passes {@link HeadValidation} (no control character or space in the target, a token
 *       for the method); a failure marks the request invalid, which answers 400 and closes.</li>
 *   <li>A request with both {@code Content-Length} and {@code Transfer-Encoding} is marked invalid
 *       (Netty would silently drop the {@code Content-Length}); Vert.x then hands it to the invalid-request
 *       handler, which answers 400 and closes (RFC 9112 §6.3: "ought to be handled as an error").</li>
 *   <li>The header-read deadline against slowloris: the time from the first byte of a request head to its
 *       end is measured here, where it is known, and {@link HeadDeadlines} closes connections whose head
 *       takes longer. An idle keep-alive connection (no byte of a next request) is not affected.</li>
 * </ul>
 * Installed per connection in place of Vert.x's decoder; relies on Vert.x internals
 * ({@code VertxHttpRequestDecoder}), which is why {@link HeadDeadlines#install} fails soft.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  static final String NAME = "httpDecoder";
  /** How long a timed-out connection keeps discarding input after its 408 before it closes (nginx: lingering close). */
  static final long LINGER_MS = 2000;

  private final HeadDeadlines deadlines;
  private ChannelHandlerContext ctx;
  private boolean inMessage;
  /** Set on the event loop: after an invalid or refused request, or a timeout, input is discarded. */
  private boolean discarding;
  /** Set on the event loop when a request handler refused a request and ends the connection with it. */
  private boolean refused;
  private volatile long headStartedNanos;

  StrictRequestDecoder(HttpServerOptions options, HeadDeadlines deadlines) {
    super(options);
    this.deadlines = deadlines;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    deadlines.track(this);
    ctx.channel().closeFuture().addListener(f -> deadlines.untrack(this));
    super.handlerAdded(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (discarding) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    if (!inMessage && headStartedNanos == 0 && buffer.isReadable()) {
      headStartedNanos = System.nanoTime();
    }
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest r) {
        inMessage = true;
        headStartedNanos = 0;
        if (r.decoderResult().isSuccess()) {
          String problem = HeadValidation.requestLine(r.method().name(), r.uri());
          if (problem != null) {
            r.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
          }
        }
        if (!r.decoderResult().isSuccess()) {
          stopReading();
        }
      }
      if (o instanceof LastHttpContent) {
        inMessage = false;
      }
    }
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    String version = initialLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new UnsupportedHttpVersion(version);
    }
    return super.createMessage(initialLine);
  }

  @Override
  protected HttpMessage createInvalidMessage() {
    HttpMessage m = super.createInvalidMessage();
    m.setProtocolVersion(HttpVersion.HTTP_1_1);
    return m;
  }

  /** Discards every later byte of the connection, which no head deadline then concerns; runs on its event loop. */
  void stopReading() {
    discarding = true;
    headStartedNanos = 0;
    deadlines.untrack(this);
  }

  boolean stoppedReading() {
    return discarding;
  }

  /**
   * A handler refused the request it is handling and ends the connection with it: nothing more is read, and
   * requests decoded before this (pipelined behind it, not yet handled) must not be handled either.
   */
  void refuse() {
    refused = true;
    stopReading();
  }

  boolean refused() {
    return refused;
  }

  Channel channel() {
    return ctx.channel();
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
        "A request must not carry both Content-Length and Transfer-Encoding (RFC 9112 §6.3).")));
  }

  /** True when a request head has been arriving for longer than {@code timeoutNanos}. */
  boolean headOverdue(long nowNanos, long timeoutNanos) {
    long started = headStartedNanos;
    return started != 0 && nowNanos - started > timeoutNanos;
  }

  /**
   * Answers 408 in baton's JSON error shape and closes; runs on the connection's event loop. The close is a
   * lingering one: output is shut down after the 408, input is read and discarded until the client closes or
   * {@link #LINGER_MS} pass. Closing at once while a byte of the unfinished head is still unread makes the
   * kernel answer with a reset, which can destroy the 408 before the client has read it.
   */
  void timeOut(long timeoutMs) {
    ChannelHandlerContext c = ctx;
    if (c == null || !c.channel().isActive()) {
      return;
    }
    String body = "{\"error\":\"request_timeout\",\"message\":\"The request head did not arrive within "
        + timeoutMs + " ms (BATON_HEADER_TIMEOUT_MS).\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\nConnection: close\r\n\r\n";
    ByteBuf buf = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), bytes);
    // From this handler's context the write skips the HTTP encoder that sits after the decoder.
    discarding = true;
    Channel ch = c.channel();
    c.writeAndFlush(buf).addListener(written -> {
      if (written.isSuccess()) {
        lingeringClose(ch);
      } else {
        ch.close();
      }
    });
  }

  /**
   * Shuts the output of {@code ch} (its last response is written) and closes it when the client closes or
   * {@link #LINGER_MS} pass; input meanwhile goes to a decoder that discards it. A plain close with input still
   * arriving would answer it with a reset, which can destroy the response before the client has read it.
   */
  static void lingeringClose(Channel ch) {
    if (ch instanceof DuplexChannel duplex && ch.isActive()) {
      duplex.shutdownOutput()
          .addListener(shut -> ch.eventLoop().schedule(() -> ch.close(), LINGER_MS, TimeUnit.MILLISECONDS));
    } else {
      ch.close();
    }
  }
}
