package dev.baton.agent.instance;

import dev.baton.agent.process.RunningProcess;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.InstanceState;
import java.nio.file.Path;

/**
 * What an {@link InstanceSupervisor} reacts to, one at a time: commands from the agent ({@link Start},
 * {@link Adopt}, {@link Stop}, {@link Resync}, {@link Shutdown}) and the outcomes of the work it started
 * (launch, health gate, registration, exit, probe, the stop and fail sequences). Outcomes carry the epoch they
 * were started in; one arriving after the epoch moved on is dropped in one place.
 */
public sealed interface Input {

  /** Launch a new instance (its port is claimed and its artifact fetched). */
  record Start() implements Input { }

  /** Take over an instance recorded by a previous run of the agent; {@code process} null when it is gone. */
  record Adopt(InstanceState recorded, long pid, RunningProcess process) implements Input {
    public boolean alive() {
      return process != null;
    }
  }

  /** Stop it: deregister, drain, SIGTERM, grace, SIGKILL. */
  record Stop() implements Input { }

  /** Its registration is missing from the Consul agent: probe it, and register it again only if it passes. */
  record Resync() implements Input { }

  /** The agent stops: start nothing new. */
  record Shutdown() implements Input { }

  record Launched(RunningProcess process, Path logFile) implements Input { }

  record LaunchRefused(ApiException refusal) implements Input { }

  record HealthPassed() implements Input { }

  record HealthFailed(String reason) implements Input { }

  record Registered() implements Input { }

  record RegisterFailed(String reason) implements Input { }

  /** The process ended; {@code how} says how ("exited with code 1"). */
  record Exited(String how) implements Input { }

  /** After a crash: out of Consul and the process gone. */
  record Cleared() implements Input { }

  record RestartDue() implements Input { }

  record ProbePassed() implements Input { }

  record ProbeFailed(String reason) implements Input { }

  record ReRegistered() implements Input { }

  record ReRegisterFailed(Throwable cause) implements Input { }

  record StopDone(String message) implements Input { }

  /** The fail sequence is over; {@code logLines} the end of its log, quoted in the reason (empty for none). */
  record FailDone(java.util.List<String> logLines) implements Input {
    public FailDone {
      logLines = java.util.List.copyOf(logLines);
    }
  }
}
