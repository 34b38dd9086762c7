package dev.baton.agent.drain;

import io.vertx.core.Future;

/** The side effects a {@link Stopper} applies, behind a narrow interface that tests fake and count. */
public interface StopActions {

  /** Takes the instance out of Consul (and reports it). */
  Future<Void> deregister();

  /** Drains the instance through the gateways (and reports the outcome). */
  Future<DrainOutcome> drain();

  /** Sends SIGTERM (and reports it). */
  void sigterm();

  /** Sends SIGKILL to the process tree (and reports it). */
  void sigkill();

  /** True once the process has exited, false if it still runs after {@code withinMs}. */
  Future<Boolean> exited(long withinMs);
}
