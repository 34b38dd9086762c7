package dev.baton.testsupport.fleet;

import dev.baton.testsupport.ConsulBinary;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consul as a fleet runs it: three servers on hosts of their own ({@code -server -bootstrap-expect 3
 * -retry-join}), and a client agent on every other host that needs one, all on Consul's default ports, which
 * every namespace has to itself. Each agent binds its host's address for gossip and RPC and serves HTTP on
 * {@code 127.0.0.1:8500} for the services of its host, as production does, and on the host's address too so the
 * test can read any of them. {@code raft_multiplier 1} (Consul's fastest, meant for production on good hardware)
 * keeps a leader election within a few seconds after a server dies.
 */
public final class ConsulCluster implements AutoCloseable {

  /** Consul's HTTP port, on every host. */
  public static final int HTTP_PORT = 8500;
  private static final Duration READY = Duration.ofSeconds(90);

  private final Path dir;
  private final List<NetnsHost> servers;
  private final Map<String, NetnsHost> hosts = new LinkedHashMap<>();
  private final Map<String, ManagedProcess> agents = new LinkedHashMap<>();

  private ConsulCluster(Path dir, List<NetnsHost> servers) {
    this.dir = dir;
    this.servers = List.copyOf(servers);
  }

  /** Starts the servers and returns once they elected a leader. */
  public static ConsulCluster start(Path dir, List<NetnsHost> servers) {
    ConsulCluster cluster = new ConsulCluster(dir, servers);
    try {
      servers.forEach(cluster::launch);
      Poll.until(READY, () -> cluster.leader().isPresent(), "the Consul servers " + servers + " to elect a leader");
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts a client agent on {@code host} (again, after a restart) and waits until the servers list its node. */
  public synchronized void startClient(NetnsHost host) {
    launch(host);
    Poll.until(READY, () -> nodes().contains(host.name()), "Consul to list node " + host.name());
  }

  /** Starts the agent of a host whose processes were killed (a server or a client), as a reboot would. */
  public synchronized void restart(NetnsHost host) {
    if (servers.contains(host)) {
      launch(host);
      Poll.until(READY, () -> nodes().contains(host.name()), "Consul server " + host.name() + " to rejoin");
    } else {
      startClient(host);
    }
  }

  /** The servers' hosts. */
  public List<NetnsHost> servers() {
    return servers;
  }

  /** The host of the current Raft leader, as a live server reports it, if there is one. */
  public Optional<NetnsHost> leader() {
    for (NetnsHost s : servers) {
      Optional<String> leader = Probe.get(url(s) + "/v1/status/leader", null).map(b -> b.replace("\"", "").strip());
      if (leader.isPresent() && !leader.get().isEmpty()) {
        String address = leader.get().substring(0, leader.get().lastIndexOf(':'));
        return servers.stream().filter(h -> h.address().equals(address)).findFirst();
      }
    }
    return Optional.empty();
  }

  /** The HTTP API of the agent on {@code host} (reached from the test JVM at the host's address). */
  public Http http(NetnsHost host) {
    return new Http(url(host));
  }

  /** The HTTP API of a server that answers and knows a leader: the test's view of the catalog. */
  public Http any() {
    return Poll.value(READY, () -> servers.stream()
        .filter(s -> Probe.get(url(s) + "/v1/status/leader", null).filter(b -> b.length() > 2).isPresent())
        .findFirst().map(this::http).orElse(null), "a Consul server with a leader");
  }

  private static String url(NetnsHost host) {
    return "http://" + host.address() + ":" + HTTP_PORT;
  }

  private List<String> nodes() {
    return any().get("/v1/catalog/nodes").array().stream().map(n -> ((JsonObject) n).getString("Node")).toList();
  }

  private void launch(NetnsHost host) {
    ManagedProcess old = agents.remove(host.name());
    if (old != null) {
      old.close();
    }
    hosts.put(host.name(), host);
    Path config = writeConfig(host);
    List<String> command = host.command(List.of(ConsulBinary.path().toString(), "agent",
        "-config-file=" + config, "-log-level=warn"));
    agents.put(host.name(), ManagedProcess.builder(command).name("consul-" + host.name())
        .logFile(dir.resolve(host.name()).resolve("consul.log")).start());
  }

  private Path writeConfig(NetnsHost host) {
    boolean server = servers.contains(host);
    JsonArray join = new JsonArray();
    servers.forEach(s -> join.add(s.address()));
    Path home = dir.resolve(host.name());
    JsonObject config = new JsonObject()
        .put("node_name", host.name())
        .put("datacenter", "fleet")
        .put("data_dir", home.resolve("consul-data").toString())
        .put("bind_addr", host.address()).put("advertise_addr", host.address())
        .put("client_addr", "127.0.0.1 " + host.address())
        .put("retry_join", join).put("retry_interval", "1s")
        .put("disable_update_check", true)
        .put("ports", new JsonObject().put("http", HTTP_PORT).put("dns", -1));
    if (server) {
      config.put("server", true).put("bootstrap_expect", servers.size())
          .put("performance", new JsonObject().put("raft_multiplier", 1));
    }
    try {
      Files.createDirectories(home);
      Path file = home.resolve("consul.json");
      Files.writeString(file, config.encodePrettily());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The log of the agent on {@code host}. */
  public Path logFile(NetnsHost host) {
    return dir.resolve(host.name()).resolve("consul.log");
  }

  /** Stops every agent by pid. */
  @Override
  public synchronized void close() {
    agents.values().forEach(ManagedProcess::close);
    agents.clear();
  }
}
