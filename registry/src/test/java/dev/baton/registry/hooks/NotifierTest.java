package dev.baton.registry.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.Notify;
import dev.baton.testsupport.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifier against a real HTTP receiver: signed, in order, retried, dropped after its last attempt. */
class NotifierTest {

  private static final String SECRET = "0123456789abcdef0123";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx();
  private final Receiver receiver = new Receiver();
  private final List<JsonObject> failures = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() throws Exception {
    receiver.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Notifier notifier(List<Notify> receivers) throws Exception {
    Notifier n = new Notifier(vertx, app -> Future.succeededFuture(app.equals("shop") ? receivers : List.of()),
        new WebhookClient(vertx), "reg-1", attempt -> attempt >= 5 ? -1 : 50);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS, m -> {
      if ("notify.failed".equals(m.body().getString("kind"))) {
        failures.add(m.body());
      }
    });
    java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> n.start().onComplete(ar -> started.complete(null)));
    started.get(10, TimeUnit.SECONDS);
    return n;
  }

  private void publish(String kind, String source, String app, String message) {
    vertx.eventBus().publish(Addresses.EVENTS, new BatonEvent("2026-11-30T18:00:00Z", kind, source, app, "shop.1",
        message, new JsonObject().put("step", 0)).toJson());
  }

  @Test
  void everyReleaseEventIsSignedAndArrivesInOrderThroughFailures() throws Exception {
    receiver.answering(500, 503);
    Notifier n = notifier(List.of(new Notify(receiver.url("/json"), SECRET, Notify.Format.JSON)));
    for (int i = 0; i < 5; i++) {
      publish("release.progressing", "reg-1", "shop", "event " + i);
    }
    publish("instance.draining", "reg-1", "shop", "not a release event");
    publish("release.progressing", "reg-2", "shop", "published by another registry");
    publish("release.progressing", "reg-1", "cart", "an app without receivers");
    Poll.until(WAIT, () -> n.delivered() == 5, "5 events delivered");
    List<Receiver.Got> got = receiver.to("/json");
    assertThat(got).hasSize(7).as("the first event was tried three times, then the others followed in order");
    assertThat(got.stream().map(g -> g.json().getString("message")).toList())
        .containsExactly("event 0", "event 0", "event 0", "event 1", "event 2", "event 3", "event 4");
    for (Receiver.Got g : got) {
      assertThat(Signature.verify(g.body(), SECRET, g.headers().get("x-baton-signature")))
          .as("signed: %s", g.headers()).isTrue();
      assertThat(g.headers()).doesNotContainKey("authorization");
      assertThat(g.headers().get("x-baton-event")).isEqualTo("release.progressing");
      assertThat(g.json().getString("app")).isEqualTo("shop");
    }
    assertThat(got.get(0).headers().get("x-baton-delivery")).as("a retry is the same delivery")
        .isEqualTo(got.get(2).headers().get("x-baton-delivery"));
    assertThat(n.failed()).isZero();
  }

  @Test
  void aReceiverThatNeverAnswers2xxIsGivenUpAfterFiveAttemptsAndTheNextEventGoesOn() throws Exception {
    receiver.answering(500, 500, 500, 500, 500);
    Notifier n = notifier(List.of(new Notify(receiver.url("/slack"), null, Notify.Format.SLACK)));
    publish("release.aborted", "reg-1", "shop", "aborted: analysis failed");
    publish("release.succeeded", "reg-1", "shop", "2 instance(s) of 2.0.0 serve 100% of traffic");
    Poll.until(WAIT, () -> n.delivered() == 1 && n.failed() == 1, "one dropped, one delivered");
    List<Receiver.Got> got = receiver.to("/slack");
    assertThat(got).hasSize(6);
    assertThat(got.get(5).json()).isEqualTo(new JsonObject().put("text",
        "baton: *shop* release succeeded (shop.1): 2 instance(s) of 2.0.0 serve 100% of traffic"));
    assertThat(got.get(0).headers()).as("no secret, no signature").doesNotContainKey("x-baton-signature");
    Poll.until(WAIT, () -> failures.size() == 1, "a notify.failed event");
    assertThat(failures.get(0).getString("message")).contains("release.aborted").contains("5 attempts")
        .doesNotContain("/slack");
  }
}
