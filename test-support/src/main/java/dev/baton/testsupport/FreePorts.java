package dev.baton.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for tests, never fixed numbers.
 *
 * <p>Ports come from 10000 up to the kernel's ephemeral range (or 20000, the start of the instance port
 * ranges tests give agents, if lower), never from the ephemeral range itself: a port picked there could
 * be taken by any process binding port 0 (Vert.x's event bus does) or by an outgoing connection between
 * the pick and the caller's bind, which made services fail to start with "Address already in use".
 *
 * <p>Guarantees: each returned port was free for TCP and UDP on all interfaces at the moment of the
 * call, ports returned by one call are distinct, and this JVM never hands out the same port twice.
 * Another test process may still take a port before the caller binds it; callers that can retry should.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int MAX_ATTEMPTS = 1000;
  static final int FIRST = 10_000;
  /** Exclusive upper bound: below the ephemeral range and below the agents' instance ranges in tests. */
  static final int LIMIT = Math.min(20_000, ephemeralLow());
  /** This test JVM's share of the range when a module runs several at once ({@link TestFork}). */
  private static final int[] BAND = TestFork.band(FIRST, LIMIT);

  private FreePorts() {
  }

  /** One free port. */
  public static int find() {
    return find(1)[0];
  }

  /** {@code count} distinct free ports. */
  public static int[] find(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    List<ServerSocket> held = new ArrayList<>();
    int[] ports = new int[count];
    try {
      int found = 0;
      for (int attempt = 0; found < count && attempt < MAX_ATTEMPTS; attempt++) {
        int port = BAND[0] + ThreadLocalRandom.current().nextInt(BAND[1] - BAND[0]);
        if (HANDED_OUT.contains(port)) {
          continue;
        }
        // Keep every candidate bound until all are found, so one call cannot return a port twice.
        ServerSocket socket = bound(port);
        if (socket == null) {
          continue;
        }
        held.add(socket);
        if (udpFree(port) && HANDED_OUT.add(port)) {
          ports[found++] = port;
        }
      }
      if (found < count) {
        throw new IllegalStateException("found only " + found + " of " + count + " free ports in "
            + BAND[0] + "-" + (BAND[1] - 1));
      }
      return ports;
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a listening socket that accepted nothing cannot lose data
        }
      }
    }
  }

  private static ServerSocket bound(int port) {
    try {
      return new ServerSocket(port);
    } catch (IOException e) {
      return null;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux), 32768 when it cannot be read. */
  static int ephemeralLow() {
    try {
      // readString trusts the size procfs reports and returns a truncated value; a line reader reads to EOF.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean udpFree(int port) {
    try (DatagramSocket ignored = new DatagramSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
