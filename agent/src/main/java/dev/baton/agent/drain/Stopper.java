package dev.baton.agent.drain;

import io.vertx.core.Future;
import java.util.List;

/**
 * Applies a stop plan step by step, each step starting only when the previous one finished. A failed
 * deregistration does not stop the sequence (the drain still takes the instance out of every gateway, and
 * Consul drops a critical service after a minute); it is part of the report.
 */
public final class Stopper {

  /** How long to wait for the exit after SIGKILL before reporting the process as unkillable. */
  static final long KILL_WAIT_MS = 10_000;

  private final long graceMs;

  public Stopper(long graceMs) {
    this.graceMs = graceMs;
  }

  /** What happened: the drain outcome (null when not drained), whether SIGKILL was needed, any problem. */
  public record Report(DrainOutcome drain, boolean killed, String problem) {
  }

  public Future<Report> apply(List<StopStep> plan, StopActions actions) {
    Future<Report> chain = Future.succeededFuture(new Report(null, false, null));
    for (StopStep step : plan) {
      chain = chain.compose(report -> switch (step) {
        case DEREGISTER -> actions.deregister().transform(ar -> Future.succeededFuture(ar.succeeded() ? report
            : new Report(report.drain(), report.killed(), "deregistration failed: " + ar.cause().getMessage())));
        case DRAIN -> actions.drain().map(outcome -> new Report(outcome, report.killed(), report.problem()));
        case TERMINATE -> terminate(actions, report);
      });
    }
    return chain;
  }

  private Future<Report> terminate(StopActions actions, Report report) {
    actions.sigterm();
    return actions.exited(graceMs).compose(exited -> {
      if (exited) {
        return Future.succeededFuture(report);
      }
      actions.sigkill();
      return actions.exited(KILL_WAIT_MS).map(gone -> new Report(report.drain(), true,
          gone ? report.problem() : "process still running " + KILL_WAIT_MS + " ms after SIGKILL"));
    });
  }
}
