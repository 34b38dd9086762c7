package dev.baton.gateway.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenersTest {

  static final String TABLE = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1583 1 0 100 0 0 10 0
         1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1584 1 0 100 0 0 10 0
         2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1585 1 0 20 4 30 10 -1
         3: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1586 1 0 100 0 0 10 0
         4: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:000004B2 00000000     0        0 0 3 0
        """;

  @Test
  void countsOnlyListeningSocketsOfThePort() {
    assertThat(Listeners.count(TABLE, 8080)).as("two listeners; the established and TIME_WAIT ones do not count")
        .isEqualTo(2);
    assertThat(Listeners.count(TABLE, 8081)).isEqualTo(1);
    assertThat(Listeners.count(TABLE, 54321)).as("a client's local port is no listener").isZero();
    assertThat(Listeners.count("  sl  local_address rem_address   st\n", 8080)).isZero();
  }

  @Test
  void seesTwoProcessesSharingAPortOnThisHost() throws IOException {
    if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
      assertThat(Listeners.count(8080)).isEmpty();
      return;
    }
    try (ServerSocketChannel a = ServerSocketChannel.open(); ServerSocketChannel b = ServerSocketChannel.open()) {
      a.setOption(StandardSocketOptions.SO_REUSEPORT, true).bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
      assertThat(Listeners.count(port)).contains(1);
      b.setOption(StandardSocketOptions.SO_REUSEPORT, true).bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(Listeners.count(port)).contains(2);
    }
    try (ServerSocket free = new ServerSocket(0)) {
      int port = free.getLocalPort();
      free.close();
      assertThat(Listeners.count(port)).contains(0);
    }
  }
}
