package dev.baton.testsupport.fleet;

import dev.baton.testsupport.Http;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Repo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One baton service of the fleet — a registry, a gateway or an agent — on its host: {@code java -jar} of the built
 * jar inside the host's namespace, with the environment it was given, which {@link #launch()} reuses after the host
 * comes back from a kill (same id, ports and data dir, as a rebooted machine's service manager would).
 */
public final class FleetService {

  /** The kinds of service and their jars. */
  public enum Kind {
    REGISTRY("registry/target/baton-registry.jar"),
    GATEWAY("gateway/target/baton-gateway.jar"),
    AGENT("agent/target/baton-agent.jar");

    final String jar;

    Kind(String jar) {
      this.jar = jar;
    }
  }

  private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:[0-9]+");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final String id;
  private final Kind kind;
  private final NetnsHost host;
  private final int httpPort;
  private final int adminPort;
  private final String token;
  private final Map<String, String> env;
  private final Path log;
  private volatile ManagedProcess process;
  private int launches;

  FleetService(String id, Kind kind, NetnsHost host, int httpPort, int adminPort, String token,
               Map<String, String> env, Path log) {
    this.id = id;
    this.kind = kind;
    this.host = host;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
    this.token = token;
    this.env = Map.copyOf(env);
    this.log = log;
  }

  /** Starts the service in its host (the jar must be built). Does not wait: see {@link #awaitListening()}. */
  synchronized void launch() {
    if (process != null) {
      process.close();
    }
    launches++;
    // One log per launch, so waiting for "listening" after a restart does not find the first launch's line.
    Path file = launches == 1 ? log : log.resolveSibling(id + "-" + launches + ".log");
    process = ManagedProcess.builder(host.command(JavaJar.command(Repo.path(kind.jar))))
        .name(id).env(env).logFile(file).start();
  }

  /** Waits until the service logs that it listens (every baton service does, once ready). */
  void awaitListening() {
    process.awaitLog(LISTENING, START_TIMEOUT);
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public NetnsHost host() {
    return host;
  }

  /** The registry's and agent's API, or the gateway's traffic port. */
  public int httpPort() {
    return httpPort;
  }

  /** The gateway's admin port (0 for the others). */
  public int adminPort() {
    return adminPort;
  }

  /** The service's API with the operator token (the gateway's traffic port goes without: it is the apps'). */
  public Http http() {
    Http http = new Http("http://" + host.address() + ":" + httpPort);
    return kind == Kind.GATEWAY ? http : http.withToken(token);
  }

  /** The gateway's admin API with the operator token. */
  public Http admin() {
    return new Http("http://" + host.address() + ":" + adminPort).withToken(token);
  }

  public ManagedProcess process() {
    return process;
  }

  public boolean isAlive() {
    ManagedProcess p = process;
    return p != null && p.isAlive();
  }

  /** The environment the service runs with (for a test that checks a key). */
  public Map<String, String> env() {
    return env;
  }

  /** The log of the current launch. */
  public Path logFile() {
    return process.logFile();
  }

  /** Kills the service and everything it started (its app instances too, for an agent). */
  synchronized void close() {
    if (process != null) {
      process.close();
    }
  }

  @Override
  public String toString() {
    return id + "@" + host.address();
  }
}
