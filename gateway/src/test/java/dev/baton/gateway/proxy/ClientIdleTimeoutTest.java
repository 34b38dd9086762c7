package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client idle timeout runs on a connection that owes no response, and only there (virtual time; the idle
 * handler in front of the codec, where Vert.x puts it with TLS or io_uring, the counting handler behind it).
 */
class ClientIdleTimeoutTest {

  private EmbeddedChannel channel;
  private int idleEvents;

  @BeforeEach
  void connection() {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    ClientIdleTimeout timeout = new ClientIdleTimeout(2);
    channel.pipeline().addLast(ClientIdleTimeout.NAME, timeout);
    channel.pipeline().addLast(ClientIdleTimeout.DEBTS, timeout.debts());
    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
          idleEvents++;
        }
      }
    });
  }

  private void waitSeconds(int s) {
    for (int i = 0; i < s * 10; i++) {
      channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
    }
  }

  private static DefaultFullHttpResponse response(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
  }

  @Test
  void aConnectionWithoutARequestTimesOut() {
    waitSeconds(3);
    assertThat(idleEvents).isEqualTo(1);
  }

  @Test
  void aRequestWaitingForItsResponseDoesNotTimeOutAndTheConnectionDoesAfterTheResponse() {
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/slow"));
    waitSeconds(10);
    assertThat(idleEvents).as("while the response is owed").isZero();
    channel.writeOutbound(response(HttpResponseStatus.OK));
    waitSeconds(1);
    assertThat(idleEvents).as("1 s after the response").isZero();
    waitSeconds(2);
    assertThat(idleEvents).as("idle keep-alive connection").isEqualTo(1);
  }

  @Test
  void aStreamedResponseWithPausesDoesNotTimeOutUntilItsEnd() {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up"),
        new DefaultLastHttpContent());
    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    waitSeconds(5);
    assertThat(idleEvents).isZero();
    channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
    waitSeconds(3);
    assertThat(idleEvents).isEqualTo(1);
  }

  @Test
  void aRequestBodyThatStopsArrivingTimesOut() {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up"));
    waitSeconds(3);
    assertThat(idleEvents).isEqualTo(1);
  }

  @Test
  void aContinueIsNotTheResponse() {
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/slow"));
    channel.writeOutbound(response(HttpResponseStatus.CONTINUE));
    waitSeconds(5);
    assertThat(idleEvents).isZero();
  }

  @Test
  void aResponseBeforeItsRequestEndedPaysAheadAndTheConnectionStillTimesOut() {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up"));
    channel.writeOutbound(response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE));
    channel.writeInbound(new DefaultLastHttpContent());
    waitSeconds(3);
    assertThat(idleEvents).isEqualTo(1);
  }

  @Test
  void anUpgradedConnectionTimesOutAsARawOne() {
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws"));
    channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
    waitSeconds(3);
    assertThat(idleEvents).isEqualTo(1);
  }
}
