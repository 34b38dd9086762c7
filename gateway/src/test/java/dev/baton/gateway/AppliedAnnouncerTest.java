package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.RoutesApplied;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppliedAnnouncerTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<RoutesApplied> published = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAckIsPublishedAtOnceThenRepeatedSoThatAConsumerThatWasNotSeenYetGetsIt() {
    AppliedAnnouncer announcer = new AppliedAnnouncer(vertx, "gw-1", published::add, 50, 150);
    announcer.applied("shop", 7);
    assertThat(published).containsExactly(new RoutesApplied("gw-1", "shop", 7));
    Poll.until(Duration.ofSeconds(10), () -> published.size() == 3, "the two repeats");
    assertThat(published).containsOnly(new RoutesApplied("gw-1", "shop", 7));
  }

  @Test
  void aRepeatIsSkippedOnceANewerRevisionOfTheAppWasAnnouncedButOtherAppsKeepTheirs() {
    AppliedAnnouncer announcer = new AppliedAnnouncer(vertx, "gw-1", published::add, 50, 150);
    announcer.applied("shop", 7);
    announcer.applied("cart", 3);
    announcer.applied("shop", 8);
    Poll.until(Duration.ofSeconds(10), () -> published.stream().filter(a -> a.revision() == 8).count() == 3
        && published.stream().filter(a -> a.app().equals("cart")).count() == 3, "the repeats of shop 8 and cart 3");
    assertThat(published.stream().filter(a -> a.app().equals("shop") && a.revision() == 7).count())
        .as("revision 7 of shop announced once, never repeated after 8").isEqualTo(1);
  }
}
