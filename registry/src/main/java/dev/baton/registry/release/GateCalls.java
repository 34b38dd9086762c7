package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.registry.hooks.WebhookClient;
import dev.baton.registry.store.ConflictException;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's gate calls (docs/registry-api.md, "Gates"): each is made off the release's look (the watcher goes
 * on looking meanwhile), then its answer is recorded on the release with a check-and-set of its own — even on a
 * finished release (a rollback gate answering after the rollback) — published as {@code release.gate}, and the
 * release is looked at again.
 */
final class GateCalls {

  private static final Logger LOG = LoggerFactory.getLogger(GateCalls.class);

  /** Publishes an event about a release (the controller's). */
  interface Publisher {
    void publish(Release r, String kind, String message, JsonObject data);
  }

  private final Context context;
  private final ReleaseActions actions;
  private final GateCaller caller;
  private final LongSupplier clock;
  private final BiFunction<Versioned<Release>, Release, Future<Versioned<Release>>> save;
  private final Publisher publisher;
  private final Consumer<String> poke;

  GateCalls(Context context, ReleaseActions actions, GateCaller caller, LongSupplier clock,
            BiFunction<Versioned<Release>, Release, Future<Versioned<Release>>> save, Publisher publisher,
            Consumer<String> poke) {
    this.context = context;
    this.actions = actions;
    this.caller = caller;
    this.clock = clock;
    this.save = save;
    this.publisher = publisher;
    this.poke = poke;
  }

  void call(GateCall call) {
    LOG.info("release {}: calling {} gate {} ({}), attempt {}", call.releaseId(), call.gate().on().key(),
        call.gate().url(), call.where(), call.attempt());
    caller.call(call).compose(reply -> record(call, reply)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("release {}: could not record the answer of gate {}: {}", call.releaseId(), call.key(),
            ar.cause().toString());
      }
      poke.accept(call.releaseId());
    });
  }

  private Future<Void> record(GateCall call, WebhookClient.Reply reply) {
    return Future.<Future<Void>>future(p -> context.runOnContext(x -> p.complete(actions.load(call.releaseId())
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.<Void>succeededFuture();
          }
          JsonObject[] entry = new JsonObject[1];
          Release next = GateProgress.answered(found.get().value(), call, reply, clock.getAsLong(), e -> entry[0] = e);
          if (entry[0] == null) {
            return Future.<Void>succeededFuture();
          }
          return save.apply(found.get(), next).<Void>map(saved -> {
            publisher.publish(saved.value(), "release.gate", call.gate().on().key() + " gate " + call.gate().url()
                + ": " + reply.describe(), entry[0].copy());
            return null;
          });
        }).recover(e -> e instanceof ConflictException ? record(call, reply) : Future.failedFuture(e)))))
        .compose(f -> f);
  }
}
