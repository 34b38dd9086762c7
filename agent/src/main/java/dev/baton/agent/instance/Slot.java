package dev.baton.agent.instance;

import dev.baton.agent.process.RunningProcess;
import dev.baton.common.model.Instance;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One instance's place on the agent: its persisted record plus what only lives in memory (the process, the
 * pending restart, the stop in progress). Touched only on the agent's event loop, so it needs no locking.
 * {@code generation} grows with every launch and with a stop, so callbacks of an older process are ignored.
 */
final class Slot {

  InstanceRecord record;
  RunningProcess process;
  Future<Void> exited;
  int generation;
  long restartTimer = -1;
  int crashStreak;
  long healthySinceMs;
  boolean terminating;
  /**
   * The generation whose registration Consul lost while its health probe failed (reported once per episode;
   * -1 when none): it is registered again only once the probe passes.
   */
  int lostUnhealthyGen = -1;
  Future<Instance> stopping;
  final Promise<Instance> ready = Promise.promise();

  Slot(InstanceRecord record) {
    this.record = record;
    // Nobody may ever wait on it; keep an unobserved failure from being logged as unhandled.
    ready.future().onFailure(e -> { });
  }

  Instance instance() {
    return record.instance();
  }
}
