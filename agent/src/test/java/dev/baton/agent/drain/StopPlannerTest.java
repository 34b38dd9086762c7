package dev.baton.agent.drain;

import static dev.baton.agent.drain.StopStep.DEREGISTER;
import static dev.baton.agent.drain.StopStep.DRAIN;
import static dev.baton.agent.drain.StopStep.TERMINATE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StopPlannerTest {

  @Test
  void aRegisteredInstanceLeavesConsulAndIsDrainedBeforeItIsSignalled() {
    assertThat(StopPlanner.plan(true, true)).containsExactly(DEREGISTER, DRAIN, TERMINATE);
  }

  @Test
  void anInstanceThatNeverBecameRoutableIsOnlySignalled() {
    assertThat(StopPlanner.plan(false, true)).containsExactly(TERMINATE);
  }

  @Test
  void aRegisteredInstanceWithoutProcessIsOnlyTakenOutOfRouting() {
    assertThat(StopPlanner.plan(true, false)).containsExactly(DEREGISTER, DRAIN);
  }

  @Test
  void nothingToDoWithoutRegistrationOrProcess() {
    assertThat(StopPlanner.plan(false, false)).isEmpty();
  }
}
