package dev.baton.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StopperTest {

  /** Records every call in order; answers exits from a script. */
  static final class FakeActions implements StopActions {
    final List<String> calls = new ArrayList<>();
    final Deque<Boolean> exits = new ArrayDeque<>();
    boolean deregisterFails;
    DrainOutcome outcome = new DrainOutcome(Set.of("g1"), Set.of("g1"), Set.of(), Set.of(), false);

    @Override
    public Future<Void> deregister() {
      calls.add("deregister");
      return deregisterFails ? Future.failedFuture("consul down") : Future.succeededFuture();
    }

    @Override
    public Future<DrainOutcome> drain() {
      calls.add("drain");
      return Future.succeededFuture(outcome);
    }

    @Override
    public void sigterm() {
      calls.add("sigterm");
    }

    @Override
    public void sigkill() {
      calls.add("sigkill");
    }

    @Override
    public Future<Boolean> exited(long withinMs) {
      calls.add("exited(" + withinMs + ")");
      return Future.succeededFuture(exits.isEmpty() || exits.pop());
    }
  }

  private final Stopper stopper = new Stopper(30_000);

  @Test
  void deregistersThenDrainsThenSignalsAndWaitsTheGrace() {
    FakeActions actions = new FakeActions();
    Stopper.Report report = stopper.apply(StopPlanner.plan(true, true), actions).result();

    assertThat(actions.calls).containsExactly("deregister", "drain", "sigterm", "exited(30000)");
    assertThat(report.killed()).isFalse();
    assertThat(report.drain().clean()).isTrue();
    assertThat(report.problem()).isNull();
  }

  @Test
  void escalatesToSigkillWhenTheGracePassesWithoutExit() {
    FakeActions actions = new FakeActions();
    actions.exits.add(false);
    actions.exits.add(true);
    Stopper.Report report = stopper.apply(StopPlanner.plan(false, true), actions).result();

    assertThat(actions.calls).containsExactly("sigterm", "exited(30000)", "sigkill", "exited(" + Stopper.KILL_WAIT_MS + ")");
    assertThat(report.killed()).isTrue();
  }

  @Test
  void aFailedDeregistrationIsReportedAndTheDrainStillProtectsTraffic() {
    FakeActions actions = new FakeActions();
    actions.deregisterFails = true;
    Stopper.Report report = stopper.apply(StopPlanner.plan(true, true), actions).result();

    assertThat(actions.calls).containsExactly("deregister", "drain", "sigterm", "exited(30000)");
    assertThat(report.problem()).contains("deregistration failed").contains("consul down");
  }

  @Test
  void aDrainTimeoutIsCarriedInTheReport() {
    FakeActions actions = new FakeActions();
    actions.outcome = new DrainOutcome(Set.of("g1", "g2", "g3"), Set.of("g1"), Set.of(), Set.of("g3"), true);
    Stopper.Report report = stopper.apply(StopPlanner.plan(true, true), actions).result();

    assertThat(report.drain().timedOut()).isTrue();
    assertThat(report.drain().missing()).containsExactly("g2");
    assertThat(report.drain().describe(30_000)).contains("timed out after 30000 ms").contains("g2");
  }
}
