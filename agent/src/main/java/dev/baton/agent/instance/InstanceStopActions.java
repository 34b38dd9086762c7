package dev.baton.agent.instance;

import dev.baton.agent.drain.DrainOutcome;
import dev.baton.agent.drain.StopActions;
import dev.baton.agent.process.RunningProcess;
import dev.baton.common.model.Instance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The stop steps of one instance, each reported as an event on {@code baton.events}. Its supervisor hands it
 * the process being stopped (null when none runs), how to deregister, and where the drain's outcome is noted.
 */
final class InstanceStopActions implements StopActions {

  private final SupervisorTools tools;
  private final Supplier<Instance> instance;
  private final RunningProcess process;
  private final Future<Void> exited;
  private final Supplier<Future<Void>> deregister;
  private final Consumer<String> drained;

  InstanceStopActions(SupervisorTools tools, Supplier<Instance> instance, RunningProcess process,
                      Future<Void> exited, Supplier<Future<Void>> deregister, Consumer<String> drained) {
    this.tools = tools;
    this.instance = instance;
    this.process = process;
    this.exited = exited;
    this.deregister = deregister;
    this.drained = drained;
  }

  @Override
  public Future<Void> deregister() {
    return deregister.get();
  }

  @Override
  public Future<DrainOutcome> drain() {
    Instance i = instance.get();
    var drains = tools.drains();
    tools.events().instance("instance.draining", i, "waiting for live gateways to drain it");
    return drains.drain(i.id(), i.app(), i.version(), tools.settings().advertiseHost(), i.port()).map(outcome -> {
      String text = outcome.describe(drains.timeoutMs());
      JsonObject data = outcome.toJson();
      if (outcome.timedOut()) {
        tools.metrics().drainTimedOut();
        tools.events().instance("instance.drain-timeout", instance.get(), text, data);
      } else {
        tools.events().instance("instance.drained", instance.get(), text, data);
      }
      drained.accept(text);
      return outcome;
    });
  }

  @Override
  public void sigterm() {
    tools.events().instance("instance.sigterm", instance.get(),
        "SIGTERM sent; grace " + tools.settings().stopGraceMs() + " ms");
    tools.driver().terminate(process);
  }

  @Override
  public void sigkill() {
    tools.events().instance("instance.sigkill", instance.get(),
        "still running " + tools.settings().stopGraceMs() + " ms after SIGTERM; SIGKILL sent");
    tools.driver().kill(process);
  }

  @Override
  public Future<Boolean> exited(long withinMs) {
    if (process == null) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> result = Promise.promise();
    var vertx = tools.vertx();
    long timer = vertx.setTimer(Math.max(1, withinMs), t -> result.tryComplete(false));
    exited.onComplete(v -> {
      vertx.cancelTimer(timer);
      result.tryComplete(true);
    });
    return result.future();
  }
}
