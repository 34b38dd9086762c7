package dev.baton.agent.instance;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.drain.DrainCoordinator;
import dev.baton.agent.drain.DrainOutcome;
import dev.baton.agent.drain.StopActions;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.common.model.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The stop steps of one slot, each reported as an event on {@code baton.events}. */
final class SlotStopActions implements StopActions {

  private final Slot slot;
  private final Vertx vertx;
  private final AgentSettings settings;
  private final Lifecycle lifecycle;
  private final DrainCoordinator drains;
  private final ProcessDriver driver;
  private final EventPublisher events;
  private final AgentMetrics metrics;

  SlotStopActions(Slot slot, Vertx vertx, AgentSettings settings, Lifecycle lifecycle, DrainCoordinator drains,
                  ProcessDriver driver, EventPublisher events, AgentMetrics metrics) {
    this.slot = slot;
    this.vertx = vertx;
    this.settings = settings;
    this.lifecycle = lifecycle;
    this.drains = drains;
    this.driver = driver;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> deregister() {
    return lifecycle.deregister(slot);
  }

  @Override
  public Future<DrainOutcome> drain() {
    var i = slot.instance();
    events.instance("instance.draining", i, "waiting for live gateways to drain it");
    return drains.drain(i.id(), i.app(), i.version(), settings.advertiseHost(), i.port()).map(outcome -> {
      String text = outcome.describe(drains.timeoutMs());
      JsonObject data = outcome.toJson();
      if (outcome.timedOut()) {
        metrics.drainTimedOut();
        events.instance("instance.drain-timeout", i, text, data);
      } else {
        events.instance("instance.drained", i, text, data);
      }
      lifecycle.update(slot, slot.record.withState(InstanceState.DRAINING, text));
      return outcome;
    });
  }

  @Override
  public void sigterm() {
    events.instance("instance.sigterm", slot.instance(), "SIGTERM sent; grace " + settings.stopGraceMs() + " ms");
    driver.terminate(slot.process);
  }

  @Override
  public void sigkill() {
    events.instance("instance.sigkill", slot.instance(),
        "still running " + settings.stopGraceMs() + " ms after SIGTERM; SIGKILL sent");
    driver.kill(slot.process);
  }

  @Override
  public Future<Boolean> exited(long withinMs) {
    if (slot.process == null) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> result = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, withinMs), t -> result.tryComplete(false));
    slot.exited.onComplete(v -> {
      vertx.cancelTimer(timer);
      result.tryComplete(true);
    });
    return result.future();
  }
}
