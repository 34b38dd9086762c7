package dev.baton.registry.fleet;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.RoutesApplied;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Remembers the highest route revision each gateway acknowledged per app ({@code baton.gateway.routes.applied})
 * and waits for a set of gateways to reach a revision, with a deadline. Runs on the context that created it.
 */
public final class RoutesAppliedTracker {

  private final Vertx vertx;
  private final Map<String, Long> applied = new HashMap<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private final MessageConsumer<Object> consumer;

  public RoutesAppliedTracker(Vertx vertx) {
    this.vertx = vertx;
    this.consumer = vertx.eventBus().consumer(Addresses.ROUTES_APPLIED, m -> {
      if (m.body() instanceof JsonObject json) {
        RoutesApplied a = RoutesApplied.fromJson(json);
        applied.merge(a.gateway() + "|" + a.app(), a.revision(), Math::max);
        List.copyOf(waiters).forEach(Runnable::run);
      }
    });
  }

  public Future<Void> ready() {
    return consumer.completion();
  }

  public long revision(String gateway, String app) {
    return applied.getOrDefault(gateway + "|" + app, 0L);
  }

  /** How often the live gateways are asked again while waiting, in ms. */
  static final long RECHECK_MS = 500;

  /**
   * Completes when every gateway of {@code gateways} applied {@code revision} of {@code app}, with null, or at
   * {@code timeoutMs} with a note naming the gateways that did not; with no gateway, after {@code propagationMs}
   * with a note saying so. Waits only for gateways that are still live: {@code live} is asked every {@value #RECHECK_MS} ms,
   * and a gateway of {@code gateways} that left it (stopped passing in Consul: its host died) is no longer waited
   * for, so a gateway that dies mid-step costs a step about a second, not {@code timeoutMs} (docs/ARCHITECTURE.md,
   * Registry). Gateways that joined meanwhile are not waited for: they read the newest table when they start.
   * The note names the gateways that were dropped.
   */
  public Future<String> await(String app, long revision, Set<String> gateways, Supplier<Future<Set<String>>> live,
                              long timeoutMs, long propagationMs) {
    Promise<String> done = Promise.promise();
    if (gateways.isEmpty()) {
      vertx.setTimer(Math.max(1, propagationMs), t -> done.complete("no live gateway to acknowledge route revision "
          + revision + "; carried on after " + propagationMs + " ms"));
      return done.future();
    }
    Set<String> waiting = new TreeSet<>(gateways);
    Set<String> dropped = new TreeSet<>();
    Runnable check = new Runnable() {
      @Override
      public void run() {
        if (waiting.stream().allMatch(g -> revision(g, app) >= revision)
            && done.tryComplete(dropped.isEmpty() ? null : "gateway(s) " + dropped + " stopped passing in Consul"
            + " before acknowledging route revision " + revision + "; no longer waited for")) {
          waiters.remove(this);
        }
      }
    };
    waiters.add(check);
    long recheck = vertx.setPeriodic(RECHECK_MS, t -> live.get().onSuccess(now -> {
      Set<String> gone = new TreeSet<>(waiting);
      gone.removeAll(now);
      gone.removeIf(g -> revision(g, app) >= revision);
      if (!gone.isEmpty() && !done.future().isComplete()) {
        waiting.removeAll(gone);
        dropped.addAll(gone);
        check.run();
      }
    }));
    long timer = vertx.setTimer(timeoutMs, t -> {
      waiters.remove(check);
      Set<String> missing = new TreeSet<>();
      waiting.stream().filter(g -> revision(g, app) < revision).forEach(missing::add);
      done.tryComplete("gateway(s) " + missing + " did not acknowledge route revision " + revision + " within "
          + timeoutMs + " ms; carried on");
    });
    check.run();
    return done.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(recheck);
    });
  }

  public Future<Void> close() {
    return consumer.unregister();
  }
}
