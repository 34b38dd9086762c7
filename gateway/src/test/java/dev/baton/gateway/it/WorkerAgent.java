package dev.baton.gateway.it;

import dev.baton.testsupport.ConsulBinary;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.ManagedProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Consul client agent standing for a worker host: joined to the test's agent (a dev server) over gossip, it holds
 * the registrations of "its" instances, as a host's local agent does. SIGKILLing it is how a test makes Consul see
 * that host fail: the server's {@code serfHealth} check of its node goes critical after the gossip timeout, while the
 * catalog keeps its instances. {@link #close()} kills it and deletes its directory.
 */
final class WorkerAgent implements AutoCloseable {

  final String nodeName;
  final int httpPort;
  private final Path dir;
  private final ManagedProcess process;

  private WorkerAgent(String nodeName, int httpPort, Path dir, ManagedProcess process) {
    this.dir = dir;
    this.nodeName = nodeName;
    this.httpPort = httpPort;
    this.process = process;
  }

  static WorkerAgent join(ConsulProcess server) {
    int[] p = FreePorts.find(3);
    String node = "worker-" + p[0];
    try {
      Path dir = Files.createTempDirectory("baton-worker-agent-");
      JsonObject ports = new JsonObject().put("http", p[0]).put("https", -1).put("dns", -1).put("serf_lan", p[1])
          .put("serf_wan", -1).put("server", p[2]).put("grpc", -1);
      if (ConsulBinary.atLeast(1, 14)) {
        ports.put("grpc_tls", -1);
      }
      JsonObject config = new JsonObject().put("node_name", node).put("server", false)
          .put("data_dir", dir.resolve("data").toString())
          .put("bind_addr", "127.0.0.1").put("client_addr", "127.0.0.1").put("advertise_addr", "127.0.0.1")
          .put("retry_join", new JsonArray().add("127.0.0.1:" + server.ports().serfLan()))
          .put("retry_interval", "1s").put("disable_update_check", true).put("ports", ports);
      Path file = dir.resolve("consul.json");
      Files.writeString(file, config.encodePrettily());
      ManagedProcess process = ManagedProcess.builder(List.of(ConsulBinary.path().toString(), "agent",
          "-config-file=" + file, "-log-level=warn")).name("consul-" + node).logFile(dir.resolve("consul.log")).start();
      return new WorkerAgent(node, p[0], dir, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String httpAddress() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The host dies: no leave message, no deregistration, the gossip just stops. */
  void kill9() {
    process.kill9();
  }

  String logTail() {
    return process.logTail(30);
  }

  @Override
  public void close() {
    process.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }
}
