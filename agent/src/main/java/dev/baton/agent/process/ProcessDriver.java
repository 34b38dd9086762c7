package dev.baton.agent.process;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The narrow interface between supervision and the operating system, in the vocabulary of Nomad's drivers:
 * start, wait, stop with a signal, recover.
 */
public interface ProcessDriver {

  /** Starts the process in its own session and process group, output appended to the spec's log file. */
  Future<RunningProcess> launch(LaunchSpec spec);

  /** The live process with this pid and start time, if it still runs (after an agent restart). */
  Future<Optional<RunningProcess>> recover(long pid, long startMs);

  /** Completes once the process has exited. */
  Future<Void> exited(RunningProcess process);

  /** SIGTERM to the process: it should finish in-flight work and exit. */
  void terminate(RunningProcess process);

  /** SIGKILL to the process and everything it started. */
  void kill(RunningProcess process);
}
