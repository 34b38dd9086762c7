package dev.baton.testsupport.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's network: a bridge in the root namespace holding {@code .1} of a /24 picked at random in
 * 198.18.0.0/15 (RFC 2544's range for test networks; random so two runs never clash, and any /24 already on an
 * interface is skipped), and one {@link NetnsHost} per host at {@code .10} and up. The root namespace's address on
 * the bridge is a host too: the test JVM's, from which the load comes.
 *
 * <p>Names carry the creating JVM's pid ({@code btfleet-<pid>-<host>} namespaces, {@code btf<pid>…} links), so a
 * new network first removes what a JVM that died without cleaning up left behind. {@link #close()} deletes the
 * namespaces (which deletes their veth pairs) and the bridge; a shutdown hook does it if the test could not.
 */
public final class FleetNetwork implements AutoCloseable {

  static final String NS_PREFIX = "btfleet-";
  static final String LINK_PREFIX = "btf";
  private static final Pattern NS_NAME = Pattern.compile("^" + NS_PREFIX + "(\\d+)-\\S+");
  private static final Pattern LINK_NAME = Pattern.compile("^\\d+:\\s+" + LINK_PREFIX + "(\\d+)[a-z]?(\\d*)[@:]");

  private final long pid = ProcessHandle.current().pid();
  private final String bridge = LINK_PREFIX + pid + "b";
  private final String prefix;
  private final Map<String, NetnsHost> hosts = new LinkedHashMap<>();
  private final Thread hook = new Thread(this::close, "fleet-network-cleanup");
  private boolean closed;

  private FleetNetwork(String prefix) {
    this.prefix = prefix;
  }

  /** Removes leftovers of dead JVMs, then makes the bridge on a fresh /24 of 198.18.0.0/15. */
  public static FleetNetwork create() {
    removeLeftovers();
    FleetNetwork network = new FleetNetwork(freeSubnet());
    Runtime.getRuntime().addShutdownHook(network.hook);
    try {
      Netns.ip("link", "add", network.bridge, "type", "bridge");
      Netns.ip("addr", "add", network.address(1) + "/24", "dev", network.bridge);
      Netns.ip("link", "set", network.bridge, "up");
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** The root namespace's address on the bridge: the load host (the test JVM). */
  public String loadAddress() {
    return address(1);
  }

  /** The /24 of this run, e.g. {@code 198.19.37.0/24}. */
  public String subnet() {
    return prefix + ".0/24";
  }

  /** Makes host {@code name}: a namespace with loopback up and {@code eth0} on the bridge at the next address. */
  public synchronized NetnsHost addHost(String name) {
    int index = hosts.size();
    String ns = NS_PREFIX + pid + "-" + name;
    String link = LINK_PREFIX + pid + "h" + index;
    NetnsHost host = new NetnsHost(name, ns, link, address(10 + index));
    hosts.put(name, host);
    Netns.ip("netns", "add", ns);
    Netns.ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns);
    Netns.ip("link", "set", link, "master", bridge, "up");
    Netns.ip("-n", ns, "addr", "add", host.address() + "/24", "dev", "eth0");
    Netns.ip("-n", ns, "link", "set", "eth0", "up");
    Netns.ip("-n", ns, "link", "set", "lo", "up");
    return host;
  }

  public synchronized NetnsHost host(String name) {
    NetnsHost h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no host " + name + " in this fleet; hosts: " + hosts.keySet());
    }
    return h;
  }

  public synchronized List<NetnsHost> hosts() {
    return List.copyOf(hosts.values());
  }

  /** Kills what still runs in every namespace, deletes the namespaces and the bridge. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (NetnsHost h : hosts.values()) {
      try {
        h.killProcesses();
      } catch (RuntimeException | AssertionError e) {
        System.err.println("fleet clean-up: " + e.getMessage());
      }
      // The host side of the veth goes first: deleting the namespace frees its peer only when the kernel gets to
      // it, after `ip netns del` has returned, so a check right after close could still see the link.
      Netns.ipQuietly("link", "del", h.link());
      Netns.ipQuietly("netns", "del", h.namespace());
    }
    Netns.ipQuietly("link", "del", bridge);
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting already
      }
    }
  }

  private String address(int host) {
    return prefix + "." + host;
  }

  /** A /24 of 198.18.0.0/15 that no interface of this machine uses (by its third octet's prefix). */
  private static String freeSubnet() {
    String addrs = Netns.ip("-o", "-4", "addr", "show");
    for (int attempt = 0; attempt < 100; attempt++) {
      int n = ThreadLocalRandom.current().nextInt(512);
      String prefix = "198." + (18 + n / 256) + "." + (n % 256);
      if (!addrs.contains(" " + prefix + ".")) {
        return prefix;
      }
    }
    throw new IllegalStateException("no free /24 left in 198.18.0.0/15 on this machine");
  }

  /** A namespace or link of some fleet run, by name, and the pid of the JVM that made it. */
  record Leftover(String name, long owner) {
  }

  /** The fleet namespaces in {@code ip netns list} output ({@code btfleet-<pid>-<host> (id: n)} lines). */
  static List<Leftover> namespaces(String ipNetnsList) {
    List<Leftover> out = new ArrayList<>();
    for (String line : ipNetnsList.split("\\R")) {
      Matcher m = NS_NAME.matcher(line.strip());
      if (m.find()) {
        out.add(new Leftover(line.strip().split("\\s+")[0], Long.parseLong(m.group(1))));
      }
    }
    return out;
  }

  /** The fleet links in {@code ip -o link show} output (bridges {@code btf<pid>b}, veth ends {@code btf<pid>h<n>}). */
  static List<Leftover> links(String ipLinkShow) {
    List<Leftover> out = new ArrayList<>();
    for (String line : ipLinkShow.split("\\R")) {
      Matcher m = LINK_NAME.matcher(line);
      if (m.find()) {
        out.add(new Leftover(line.split(":\\s+")[1].split("[@:]")[0], Long.parseLong(m.group(1))));
      }
    }
    return out;
  }

  /** Namespaces and links named after a JVM that is no longer running: SIGKILL what runs there, delete them. */
  static void removeLeftovers() {
    for (Leftover ns : namespaces(Netns.ip("netns", "list"))) {
      if (running(ns.owner())) {
        continue;
      }
      System.err.println("fleet: removing namespace " + ns.name() + " left by dead JVM " + ns.owner());
      try {
        new NetnsHost(ns.name(), ns.name(), "", "").killProcesses();
      } catch (RuntimeException | AssertionError e) {
        System.err.println("fleet: " + e.getMessage());
      }
      Netns.ipQuietly("netns", "del", ns.name());
    }
    links(Netns.ip("-o", "link", "show")).stream().filter(l -> !running(l.owner()))
        .forEach(l -> Netns.ipQuietly("link", "del", l.name()));
  }

  private static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
