package dev.baton.agent.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import dev.baton.common.config.PortRange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  /** Three instances of a blue-green start at once on an agent with a small range: each gets a port. */
  @Test
  void concurrentClaimsOnASmallRangeEachGetADistinctPort() throws Exception {
    int first = freeRun(4);
    Vertx vertx = Vertx.vertx();
    try {
      PortAllocator allocator = new PortAllocator(vertx, new PortRange(first, first + 3));
      List<Integer> ports = vertx.executeBlocking(() -> 0).compose(x -> Future.all(
              allocator.claim(null), allocator.claim(null), allocator.claim(null), allocator.claim(null)))
          .map(all -> all.<Integer>list())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(ports).doesNotHaveDuplicates().allMatch(p -> p >= first && p <= first + 3).hasSize(4);
      assertThat(allocator.reserved()).containsExactlyInAnyOrderElementsOf(ports);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The first port of {@code n} consecutive ports that are all free right now. */
  private static int freeRun(int n) {
    for (int base = 30_000 + (int) (ProcessHandle.current().pid() % 1000) * 20; base < 60_000; base += n) {
      boolean all = true;
      for (int p = base; p < base + n && all; p++) {
        all = PortAllocator.isFree(p);
      }
      if (all) {
        return base;
      }
    }
    throw new AssertionError("no run of " + n + " free ports");
  }
}
