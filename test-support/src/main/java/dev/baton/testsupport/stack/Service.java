package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Repo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One service of a {@link Stack}: its id, host, ports and environment, fixed for its life, and its current
 * process. {@link #start()} after {@link #kill9()} or {@link #stop(Duration)} runs it again with the same id,
 * ports, environment and data dir, as an operator restarting it would. Every process it ever ran is closed (with
 * its descendants and marked processes, see {@link ManagedProcess#close()}) by {@link #close()}, not before: an
 * agent's instances outlive a crashed agent, and the next one adopts them.
 */
public final class Service implements AutoCloseable {

  private final ServiceSpec spec;
  private final ServiceEnv.Ports ports;
  private final Map<String, String> env;
  private final Path directory;
  private final Path logDir;
  private final String operatorToken;
  private final List<ManagedProcess> history = new ArrayList<>();
  private ManagedProcess process;

  Service(ServiceSpec spec, ServiceEnv.Ports ports, Map<String, String> env, Path directory, Path logDir,
          String operatorToken) {
    this.spec = spec;
    this.ports = ports;
    this.env = Map.copyOf(env);
    this.directory = directory;
    this.logDir = logDir;
    this.operatorToken = operatorToken;
  }

  public String id() {
    return spec.id();
  }

  public ServiceKind kind() {
    return spec.kind();
  }

  public Host host() {
    return spec.host();
  }

  public int httpPort() {
    return ports.http();
  }

  /** The gateway's admin port; -1 for other kinds. */
  public int adminPort() {
    return ports.admin();
  }

  public int clusterPort() {
    return ports.cluster();
  }

  /** The environment it runs with (over the test JVM's), as {@link ServiceEnv} built it. */
  public Map<String, String> env() {
    return env;
  }

  /** Its {@code BATON_DATA_DIR}. */
  public Path dataDir() {
    return Path.of(env.get("BATON_DATA_DIR"));
  }

  /**
   * The log of its current (or first) run: {@code <id>.log}, then {@code <id>-2.log} and so on, one per run, so
   * that waiting for a line of this run never finds it in an earlier one.
   */
  public synchronized Path logFile() {
    return process == null ? logDir.resolve(id() + ".log") : process.logFile();
  }

  /** {@code http://<host address>:<http port>}. */
  public String url() {
    return "http://" + host().address() + ":" + ports.http();
  }

  /** {@code http://<host address>:<admin port>} (gateways). */
  public String adminUrl() {
    return "http://" + host().address() + ":" + ports.admin();
  }

  /** A client of its HTTP port: with the operator token, except a gateway's traffic port (app requests). */
  public Http http() {
    Http http = new Http(url());
    return kind() == ServiceKind.GATEWAY ? http : http.withToken(operatorToken);
  }

  /** A client of the gateway's admin port with the operator token. */
  public Http admin() {
    return new Http(adminUrl()).withToken(operatorToken);
  }

  /** The current process (the last one started). */
  public synchronized ManagedProcess process() {
    if (process == null) {
      throw new IllegalStateException(id() + " was never started");
    }
    return process;
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the service (again) and waits up to {@code timeout} for its "listening" line.
   *
   * @throws IllegalStateException when it is running
   * @throws AssertionError with the log tail when it exits or does not listen in time
   */
  public void start(Duration timeout) {
    launch().awaitLog(listening(), timeout);
  }

  /** {@link #start(Duration)} with two minutes. */
  public void start() {
    start(Duration.ofMinutes(2));
  }

  /** SIGKILL to the service process alone, as a crash: what it started (an agent's instances) keeps running. */
  public void kill9() {
    ManagedProcess p = process();
    p.kill9();
    p.waitForExit(Duration.ofSeconds(10));
  }

  /**
   * SIGKILL to the service and everything any of its processes started (an agent's app instances, adopted ones
   * too), as when its host dies; waits until all are gone. It can be started again.
   */
  public synchronized void kill9Tree() {
    for (int i = history.size() - 1; i >= 0; i--) {
      history.get(i).close();
    }
  }

  /** SIGTERM, then SIGKILL to the whole tree after {@code grace}; returns the exit code. */
  public int stop(Duration grace) {
    return process().stop(grace);
  }

  /** Stops it if running (SIGTERM, 30 s grace), then {@link #start()}. */
  public void restart() {
    if (isAlive()) {
      stop(Duration.ofSeconds(30));
    }
    start();
  }

  /**
   * Starts the process without waiting for it to listen: for a service expected to refuse to start.
   *
   * @throws IllegalStateException when it is running
   */
  public synchronized ManagedProcess launch() {
    if (isAlive()) {
      throw new IllegalStateException(id() + " is running (pid " + process.pid() + ")");
    }
    process = ManagedProcess.builder(host().command(JavaJar.command(spec.jvmOptions(), jar(kind()))))
        .name(id()).env(env).directory(directory)
        .logFile(logDir.resolve(history.isEmpty() ? id() + ".log" : id() + "-" + (history.size() + 1) + ".log"))
        .start();
    history.add(process);
    return process;
  }

  /** The built jar of a kind of service, {@code <kind>/target/baton-<kind>.jar} in the checkout. */
  public static Path jar(ServiceKind kind) {
    return Repo.path(kind.key + "/target/baton-" + kind.key + ".jar");
  }

  Pattern listening() {
    return Pattern.compile(kind().key + " listening on " + Pattern.quote(host().address()) + ":" + ports.http()
        + "\\b");
  }

  /** Kills every process it ran and their descendants ({@link #kill9Tree()}). */
  @Override
  public void close() {
    kill9Tree();
  }

  @Override
  public String toString() {
    return id() + "@" + host().name() + (process == null ? "" : "[pid " + process.pid() + "]");
  }
}
