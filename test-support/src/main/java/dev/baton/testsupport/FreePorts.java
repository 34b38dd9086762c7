package dev.baton.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports for tests, chosen by the operating system (bind to port 0), never fixed numbers.
 *
 * <p>Guarantees: each returned port was free for TCP and UDP on all interfaces at the moment of the
 * call, ports returned by one call are distinct, and this JVM never hands out the same port twice.
 * Another process may still take a port before the caller binds it; callers that can retry should.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int MAX_ATTEMPTS = 1000;

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
        // Keep every candidate bound until all are found, so the OS cannot offer one twice.
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        int port = socket.getLocalPort();
        if (udpFree(port) && HANDED_OUT.add(port)) {
          ports[found++] = port;
        }
      }
      if (found < count) {
        throw new IllegalStateException("found only " + found + " of " + count + " free ports");
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a socket to find a free port", e);
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

  private static boolean udpFree(int port) {
    try (DatagramSocket ignored = new DatagramSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
