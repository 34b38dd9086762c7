package dev.baton.gateway.handover;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.net.impl.ShutdownEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstRequestWaitTest {

  /** Stands for Vert.x's handler: records what reaches it, in order. */
  static final class Seen extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      events.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  @Test
  void aShutdownWaitsForTheFirstRequestThenFollowsIt() {
    Seen seen = new Seen();
    EmbeddedChannel ch = new EmbeddedChannel(new FirstRequestWait(), seen);
    ShutdownEvent shutdown = new ShutdownEvent(30, TimeUnit.SECONDS);
    ch.pipeline().fireUserEventTriggered(shutdown);
    assertThat(seen.events).as("held while no request arrived").isEmpty();
    ch.writeInbound("GET / HTTP/1.1");
    assertThat(seen.events).as("the request first, so the shutdown finds it in progress")
        .containsExactly("GET / HTTP/1.1", shutdown);
    assertThat(ch.pipeline().get(FirstRequestWait.class)).as("gone after the first request").isNull();
  }

  @Test
  void aConnectionThatSendsNothingIsShutDownAfterTheWait() {
    Seen seen = new Seen();
    EmbeddedChannel ch = new EmbeddedChannel(new FirstRequestWait(), seen);
    ch.freezeTime();
    ShutdownEvent shutdown = new ShutdownEvent(30, TimeUnit.SECONDS);
    ch.pipeline().fireUserEventTriggered(shutdown);
    ch.advanceTimeBy(FirstRequestWait.WAIT_MS - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(seen.events).isEmpty();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(seen.events).containsExactly(shutdown);
  }

  @Test
  void otherEventsPassAtOnce() {
    Seen seen = new Seen();
    EmbeddedChannel ch = new EmbeddedChannel(new FirstRequestWait(), seen);
    ch.pipeline().fireUserEventTriggered("other");
    assertThat(seen.events).containsExactly("other");
  }
}
