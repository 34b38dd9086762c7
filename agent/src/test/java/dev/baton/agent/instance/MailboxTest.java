package dev.baton.agent.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A supervisor's mailbox on a real Vert.x context: one message at a time, in order, always on that context. */
class MailboxTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aMessagePostedWhileOneIsHandledWaitsUntilThatOneIsDone() throws Exception {
    Context context = vertx.getOrCreateContext();
    List<String> seen = new ArrayList<>();
    Promise<List<String>> done = Promise.promise();
    AtomicReference<Mailbox<String>> box = new AtomicReference<>();
    box.set(new Mailbox<>(context, m -> {
      seen.add("begin " + m);
      if (m.equals("a")) {
        box.get().post("b"); // as an action whose future is already complete reports back at once
      }
      seen.add("end " + m);
      if (m.equals("b")) {
        done.complete(List.copyOf(seen));
      }
    }));
    context.runOnContext(v -> box.get().post("a"));

    assertThat(done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
        .containsExactly("begin a", "end a", "begin b", "end b");
  }

  @Test
  void aMessagePostedFromAnotherThreadIsHandledOnTheContextInOrder() throws Exception {
    Context context = vertx.getOrCreateContext();
    List<Integer> seen = new ArrayList<>();
    Promise<List<Integer>> done = Promise.promise();
    Mailbox<Integer> box = new Mailbox<>(context, m -> {
      if (Vertx.currentContext() != context) {
        done.tryFail(new AssertionError("message " + m + " handled off the context"));
      }
      seen.add(m);
      if (seen.size() == 100) {
        done.tryComplete(List.copyOf(seen));
      }
    });
    for (int i = 0; i < 100; i++) {
      box.post(i); // from the test thread
    }

    List<Integer> handled = done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(handled).hasSize(100).isSorted();
  }
}
