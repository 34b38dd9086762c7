package dev.baton.agent.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs instances as local processes. Each is prefixed with {@code setsid} so it leads its own session and
 * process group: a signal to the agent's group (Ctrl-C, a service manager stopping the agent) never reaches it,
 * and it survives the agent. Because the JVM's child is never a group leader, {@code setsid} execs in place and
 * the pid we record is the app's own.
 */
public final class LocalProcessDriver implements ProcessDriver {

  /** How often an adopted process (not our child, so no exit notification) is checked for life. */
  private static final long ADOPTED_POLL_MS = 500;

  private final Vertx vertx;
  private final String setsid;

  public LocalProcessDriver(Vertx vertx) {
    this.vertx = vertx;
    this.setsid = findSetsid();
  }

  @Override
  public Future<RunningProcess> launch(LaunchSpec spec) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(spec.workDir());
      List<String> argv = new ArrayList<>();
      if (setsid != null) {
        argv.add(setsid);
      }
      argv.addAll(spec.argv());
      ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().clear();
      pb.environment().putAll(spec.env());
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new IOException("cannot start " + spec.argv().get(0) + ": " + e.getMessage(), e);
      }
      ProcessHandle handle = process.toHandle();
      return new RunningProcess(handle, startMs(handle), process);
    }, false);
  }

  @Override
  public Future<Optional<RunningProcess>> recover(long pid, long startMs) {
    return vertx.executeBlocking(() -> ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> startMs <= 0 || startMs(h) == startMs)
        .map(h -> new RunningProcess(h, startMs(h), null)), false);
  }

  @Override
  public Future<Void> exited(RunningProcess process) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> exited = Promise.promise();
    if (process.child() != null) {
      process.child().onExit().whenComplete((p, e) -> context.runOnContext(v -> exited.tryComplete()));
    } else {
      long timer = vertx.setPeriodic(ADOPTED_POLL_MS, id -> {
        if (!process.handle().isAlive()) {
          exited.tryComplete();
        }
      });
      exited.future().onComplete(v -> vertx.cancelTimer(timer));
    }
    return exited.future();
  }

  @Override
  public void terminate(RunningProcess process) {
    process.handle().destroy();
  }

  @Override
  public void kill(RunningProcess process) {
    process.handle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.handle().destroyForcibly();
  }

  static long startMs(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  private static String findSetsid() {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, "setsid");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
