package dev.baton.testsupport.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a service of a test stack runs: an address its ports bind to and are reached at, and a way to launch a
 * command there. {@link LocalHost} is this machine's loopback; a fleet host (a network namespace) wraps the
 * command in {@code ip netns exec <ns>} and brings its own Consul client agent.
 *
 * <p>The process a host launches must be the command itself or exec into it ({@code ip netns exec} does), so
 * that its pid is the service's and the test watchdog's marker variable reaches it and everything it starts.
 */
public interface Host {

  /** A short name for logs and messages, e.g. {@code local} or {@code worker-1}. */
  String name();

  /** The address services on this host bind to, advertise and are reached at from the test JVM. */
  String address();

  /** The argv that runs {@code command} on this host ({@link LocalHost}: {@code command} itself). */
  List<String> command(List<String> command);

  /**
   * The Consul agent services on this host talk to when the host has its own (a fleet host's client agent on
   * {@code 127.0.0.1:8500} inside its namespace); empty means the stack's Consul.
   */
  default Optional<ConsulEndpoint> consul() {
    return Optional.empty();
  }

  /** The names a member certificate of a service on this host must hold: loopback plus {@link #address()}. */
  default List<String> certificateHosts() {
    List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    if (!hosts.contains(address())) {
      hosts.add(address());
    }
    return hosts;
  }
}
