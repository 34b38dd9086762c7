package dev.baton.testsupport.fleet;

import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Processes;
import dev.baton.testsupport.stack.ConsulEndpoint;
import dev.baton.testsupport.stack.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host of the fleet: a network namespace with its own loopback and one interface ({@code eth0}) on the fleet's
 * bridge, through a veth pair whose other end ({@link #link()}) sits in the root namespace: a stack builder
 * {@link Host}. A process started with {@link #command(List)} runs in it ({@code ip netns exec} execs in place, so
 * the pid is the program's); its services use the host's own Consul client agent on {@code 127.0.0.1:8500}.
 *
 * <p>Faults: {@link #linkDown()} partitions the host (its processes live on, nothing reaches them and they reach
 * nothing); {@link #kill()} takes the link down and SIGKILLs every process in the namespace, as a power cut would.
 */
public final class NetnsHost implements Host {

  private final String name;
  private final String namespace;
  private final String link;
  private final String address;

  NetnsHost(String name, String namespace, String link, String address) {
    this.name = name;
    this.namespace = namespace;
    this.link = link;
    this.address = address;
  }

  /** The host's name in the fleet, e.g. {@code worker-1}. */
  @Override
  public String name() {
    return name;
  }

  /** The network namespace ({@code btfleet-<jvm pid>-<name>}). */
  public String namespace() {
    return namespace;
  }

  /** The host's address on the fleet network, in 198.18.0.0/15. */
  @Override
  public String address() {
    return address;
  }

  /** The root-namespace end of the host's veth pair: down means the host is cut off. */
  public String link() {
    return link;
  }

  /** {@code command} run inside this host's namespace. */
  @Override
  public List<String> command(List<String> command) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    out.addAll(command);
    return out;
  }

  /** The host's own Consul client agent, which its services reach on loopback as in production. */
  @Override
  public Optional<ConsulEndpoint> consul() {
    return Optional.of(new ConsulEndpoint("127.0.0.1", ConsulCluster.HTTP_PORT, Map.of()));
  }

  /** Cuts the host off the network; its processes keep running. */
  public void linkDown() {
    Netns.ip("link", "set", link, "down");
  }

  /** Puts the host back on the network. */
  public void linkUp() {
    Netns.ip("link", "set", link, "up");
  }

  /** Pids of every process in the namespace ({@code ip netns pids}). */
  public List<Long> pids() {
    return Arrays.stream(Netns.ip("netns", "pids", namespace).split("\\s+")).filter(s -> !s.isBlank())
        .map(Long::parseLong).toList();
  }

  /**
   * A power cut: the link goes down, then every process in the namespace gets SIGKILL, until none is left (a
   * process being started by one that just died is caught on the next round).
   */
  public void kill() {
    linkDown();
    killProcesses();
  }

  /** SIGKILLs every process in the namespace and waits until none runs. */
  void killProcesses() {
    Poll.until(Duration.ofSeconds(15), () -> {
      List<Long> pids = pids();
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      return pids.stream().noneMatch(Processes::isRunning);
    }, "every process in " + namespace + " to die after SIGKILL");
  }

  @Override
  public String toString() {
    return name + "(" + address + ")";
  }
}
