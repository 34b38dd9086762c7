package dev.baton.agent.instance;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.drain.StopActions;
import dev.baton.agent.drain.StopStep;
import dev.baton.agent.drain.Stopper;
import dev.baton.agent.health.HealthGate;
import dev.baton.agent.isolation.InstanceFiles;
import dev.baton.agent.isolation.Isolation;
import dev.baton.agent.logs.InstanceLog;
import dev.baton.agent.process.Argv;
import dev.baton.agent.process.LaunchSpec;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.process.RunningProcess;
import dev.baton.common.http.ApiException;
import dev.baton.common.http.ErrorText;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The slow work an {@link InstanceSupervisor} starts, each piece completing with its outcome as the
 * {@link Input} the supervisor reacts to (never failing: a failure is an outcome too). It holds no instance
 * state. Every launch, restarts included, goes through {@link Isolation}: the user and limits are checked and
 * the artifact's sha256 verified again (docs/ARCHITECTURE.md, Agent, "Isolation").
 */
final class InstanceWork {

  /** How much of its log a failure quotes: the last lines, from at most the last bytes (docs/agent.md, "Logs"). */
  static final int QUOTED_LINES = 20;
  static final int QUOTED_BYTES = 2048;
  /** How long to wait for an exit after SIGKILL before going on. */
  static final long KILL_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final AgentSettings settings;
  private final Isolation isolation;
  private final ProcessDriver driver;
  private final HealthGate health;
  private final ConsulRegistrar registrar;
  private final Stopper stopper;
  private final long drainTimeoutMs;

  InstanceWork(Vertx vertx, AgentSettings settings, Isolation isolation, ProcessDriver driver, HealthGate health,
               ConsulRegistrar registrar, long drainTimeoutMs) {
    this.vertx = vertx;
    this.settings = settings;
    this.isolation = isolation;
    this.driver = driver;
    this.health = health;
    this.registrar = registrar;
    this.stopper = new Stopper(settings.stopGraceMs());
    this.drainTimeoutMs = drainTimeoutMs;
  }

  /**
   * {@link Input.Launched}, or {@link Input.LaunchRefused} with a 422 when the user, limits or artifact are
   * refused (a cached artifact that no longer matches its sha256 among them), a 500 when the program cannot run.
   */
  Future<Input> launch(InstanceRecord r) {
    StartInstanceRequest req = r.request();
    return isolation.confine(req).compose(confinement -> isolation.prepare(settings.instanceDir(r.id()),
            Path.of(r.artifactPath()), req.artifact().sha256(), confinement)
        .map(files -> new LaunchSpec(confinement.wrap(Argv.render(req.command(), files.artifact().toString(), r.port())),
            Argv.environment(System.getenv(), settings.instanceEnvAllow(), confinement.identityEnv(), req.env(),
                r.port(), r.id()), files.workDir(), files.logFile())))
        .compose(spec -> driver.launch(spec)
            .recover(e -> Future.failedFuture(new ApiException(500, "launch_failed", "cannot launch " + req.command()
                + ": " + ErrorText.of(e) + "; check the command and that its program is installed.")))
            .<Input>map(process -> new Input.Launched(process, spec.logFile())))
        .recover(e -> Future.succeededFuture(new Input.LaunchRefused(e instanceof ApiException a ? a
            : new ApiException(500, "launch_failed", "cannot prepare the launch of " + r.id() + ": " + ErrorText.of(e)))));
  }

  /** {@link Input.Exited} once the process ended, saying how. */
  Future<Input> exit(RunningProcess process, Future<Void> exited) {
    return exited.transform(ar -> Future.succeededFuture(new Input.Exited(process.describeExit())));
  }

  /** The health gate: {@link Input.HealthPassed} or {@link Input.HealthFailed}; the exit or {@code over} ends it. */
  Future<Input> gate(InstanceRecord r, Future<Void> exited, BooleanSupplier over) {
    var req = r.request();
    return outcome(health.await(settings.advertiseHost(), r.port(), req.healthPath(), req.version(), exited, over),
        new Input.HealthPassed(), Input.HealthFailed::new);
  }

  Future<Input> register(InstanceRecord r) {
    return outcome(registrar.registerInstance(r), new Input.Registered(), Input.RegisterFailed::new);
  }

  /** One probe of an instance missing from Consul (docs/ARCHITECTURE.md, Agent: lost registrations). */
  Future<Input> probe(InstanceRecord r) {
    var req = r.request();
    return outcome(health.check(settings.advertiseHost(), r.port(), req.healthPath(), req.version()),
        new Input.ProbePassed(), Input.ProbeFailed::new);
  }

  Future<Input> reregister(InstanceRecord r) {
    return registrar.registerInstance(r).transform(ar -> Future.succeededFuture(
        ar.succeeded() ? new Input.ReRegistered() : new Input.ReRegisterFailed(ar.cause())));
  }

  /**
   * Applies a stop plan (docs/ARCHITECTURE.md, Agent, "Drain"): {@link Input.StopDone} with what happened, for
   * the STOPPED message.
   */
  Future<Input> stop(List<StopStep> plan, StopActions actions) {
    return stopper.apply(plan, actions).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(new Input.StopDone("stop failed: " + ar.cause().getMessage()));
      }
      Stopper.Report report = ar.result();
      return Future.succeededFuture(new Input.StopDone("stopped"
          + (report.drain() == null ? "" : "; " + report.drain().describe(drainTimeoutMs))
          + (report.killed() ? "; needed SIGKILL after " + settings.stopGraceMs() + " ms" : "")
          + (report.problem() == null ? "" : "; " + report.problem())));
    });
  }

  /** The last lines of the instance's log, for the reason it failed; empty when there is none. */
  Future<List<String>> logEnd(InstanceRecord r) {
    return InstanceLog.lastLines(vertx, settings.instanceDir(r.id()).resolve(InstanceFiles.LOG_FILE), QUOTED_LINES,
        QUOTED_BYTES);
  }

  /** SIGKILL to the process tree; completes when it exited or after {@link #KILL_WAIT_MS}. Null: nothing to do. */
  Future<Void> kill(RunningProcess process, Future<Void> exited) {
    if (process == null) {
      return Future.succeededFuture();
    }
    driver.kill(process);
    return Future.any(exited, vertx.timer(KILL_WAIT_MS)).mapEmpty();
  }

  private static Future<Input> outcome(Future<Void> work, Input passed,
                                       java.util.function.Function<String, Input> failed) {
    return work.transform(ar -> Future.succeededFuture(ar.succeeded() ? passed : failed.apply(ar.cause().getMessage())));
  }
}
