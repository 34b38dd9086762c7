package dev.baton.agent.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void portInUseIsBusy() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThat(PortAllocator.isFree(server.getLocalPort())).isFalse();
    }
  }

  /** An in-place release restarts on the port of an instance that just served keep-alive traffic. */
  @Test
  void portWithConnectionsInTimeWaitIsFree() throws IOException {
    int port;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = server.getLocalPort();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
           Socket accepted = server.accept()) {
        accepted.close(); // the server side closes first, so its end of the connection sits in TIME_WAIT
        assertThat(client.getInputStream().read()).isEqualTo(-1);
      }
    }
    assertThat(PortAllocator.isFree(port)).isTrue();
  }
}
