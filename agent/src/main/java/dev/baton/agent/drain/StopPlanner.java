package dev.baton.agent.drain;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans how to stop an instance (DESIGN.md §5, invariant 2): an instance that is registered is first taken out
 * of Consul, then drained by the gateways, and only then signalled; one that never became routable (or was
 * already deregistered after a crash) skips straight to the signal; one without a process has nothing to signal.
 */
public final class StopPlanner {

  private StopPlanner() {
  }

  public static List<StopStep> plan(boolean registered, boolean processRunning) {
    List<StopStep> steps = new ArrayList<>();
    if (registered) {
      steps.add(StopStep.DEREGISTER);
      steps.add(StopStep.DRAIN);
    }
    if (processRunning) {
      steps.add(StopStep.TERMINATE);
    }
    return List.copyOf(steps);
  }
}
