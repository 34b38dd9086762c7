package dev.baton.agent.process;

import java.util.OptionalInt;

/**
 * A live instance process. {@code startMs} is the OS start time, which together with the pid identifies the
 * process across an agent restart (a recycled pid has another start time). {@code child} is the
 * {@link Process} when this agent launched it (it gives the exit code), null when adopted.
 */
public record RunningProcess(ProcessHandle handle, long startMs, Process child) {

  public long pid() {
    return handle.pid();
  }

  /** The exit code, when known (only for processes this agent launched, after they exited). */
  public OptionalInt exitCode() {
    if (child == null || child.isAlive()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(child.exitValue());
  }

  public String describeExit() {
    OptionalInt code = exitCode();
    if (code.isEmpty()) {
      return "exited";
    }
    int c = code.getAsInt();
    return c > 128 ? "exited with code " + c + " (signal " + (c - 128) + ")" : "exited with code " + c;
  }
}
