package dev.baton.testsupport.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.fleet.FleetNetwork.Leftover;
import org.junit.jupiter.api.Test;

class FleetNetworkTest {

  @Test
  void namespacesOfFleetRunsAreFoundWithTheirJvmAndOthersAreLeftAlone() {
    String list = """
        btfleet-4242-worker-1 (id: 7)
        btfleet-4242-consul-1
        btfleet-17-front (id: 2)
        cni-1234-abcd (id: 0)
        btfleetx-99-a
        btprobe-5
        """;
    assertThat(FleetNetwork.namespaces(list)).containsExactly(new Leftover("btfleet-4242-worker-1", 4242),
        new Leftover("btfleet-4242-consul-1", 4242), new Leftover("btfleet-17-front", 17));
  }

  @Test
  void bridgesAndVethEndsOfFleetRunsAreFoundWithTheirJvmAndOthersAreLeftAlone() {
    String show = """
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN
        2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
        11: btf4242b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
        12: btf4242h0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master btf4242b
        13: btf4242h11@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 master btf4242b state DOWN
        14: btrfs0: <BROADCAST> mtu 1500
        15: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500
        """;
    assertThat(FleetNetwork.links(show)).containsExactly(new Leftover("btf4242b", 4242),
        new Leftover("btf4242h0", 4242), new Leftover("btf4242h11", 4242));
  }

  @Test
  void aNewNetworkRemovesWhatADeadRunLeftAndItsCloseRemovesItsOwn() {
    FleetAssumption.assumeFleetCanRun();
    long dead = deadPid();
    String ns = FleetNetwork.NS_PREFIX + dead + "-worker-1";
    String bridge = FleetNetwork.LINK_PREFIX + dead + "b";
    Netns.ip("netns", "add", ns);
    Netns.ip("link", "add", bridge, "type", "bridge");
    NetnsHost host;
    try (FleetNetwork network = FleetNetwork.create()) {
      assertThat(Netns.ip("netns", "list")).doesNotContain(ns);
      assertThat(Netns.ip("-o", "link", "show")).doesNotContain(bridge + ":");
      host = network.addHost("worker-1");
      assertThat(host.address()).startsWith("198.1").endsWith(".10");
      assertThat(Netns.ip("netns", "list")).contains(host.namespace());
      host.linkDown();
      host.linkUp();
    } finally {
      Netns.ipQuietly("netns", "del", ns);
      Netns.ipQuietly("link", "del", bridge);
    }
    assertThat(Netns.ip("netns", "list")).doesNotContain(host.namespace());
    assertThat(Netns.ip("-o", "link", "show")).doesNotContain(host.link());
  }

  /** A pid no process has now (pids are not reused within a test's few milliseconds). */
  private static long deadPid() {
    for (long pid = 4_000_000; ; pid--) {
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
  }
}
