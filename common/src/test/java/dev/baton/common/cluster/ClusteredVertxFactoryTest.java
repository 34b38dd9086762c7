package dev.baton.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusteredVertxFactoryTest {

  @Test
  void configTurnsOffDiscoveryByBroadcast() {
    BatonConfig c = ConfigLoader.resolve(ServiceKind.GATEWAY, null,
        Map.of("BATON_CLUSTER_MEMBERS", "10.0.0.1:5801,10.0.0.2", "BATON_CLUSTER_NAME", "prod",
            "BATON_CLUSTER_HOST", "10.0.0.3", "BATON_CLUSTER_PORT", "5801"), "h");
    Config hz = ClusteredVertxFactory.hazelcastConfig(c);
    assertThat(hz.getClusterName()).isEqualTo("prod");
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5801", "10.0.0.2");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(hz.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(hz.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(hz.getProperty("hazelcast.local.localAddress")).isEqualTo("10.0.0.3");
    assertThat(hz.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
  }

  @Test
  void twoJvmsExchangeAnEventBusRequest(@TempDir Path dir) throws Exception {
    String cluster = "test-" + UUID.randomUUID();
    int peerPort = freePort();
    int myPort = freePort();
    String address = "test.ping." + UUID.randomUUID();
    Path log = dir.resolve("peer.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ClusterPeerMain.class.getName(), address).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(ClusterPeerMain.env(cluster, peerPort, myPort));
    Process peer = pb.start();
    Vertx vertx = null;
    try {
      awaitLog(log, "peer ready", peer, Duration.ofSeconds(60));
      BatonConfig mine = ConfigLoader.resolve(ServiceKind.GATEWAY, null, ClusterPeerMain.env(cluster, myPort, peerPort), "me");
      vertx = ClusteredVertxFactory.create(mine).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      String reply = request(vertx, address, Duration.ofSeconds(30));
      assertThat(reply).isEqualTo("pong from " + peer.pid() + " to ping");
    } finally {
      peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Retries until the peer's consumer registration has propagated to this member. */
  private static String request(Vertx vertx, String address, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    while (System.nanoTime() < end) {
      try {
        return vertx.eventBus().<String>request(address, "ping", new DeliveryOptions().setSendTimeout(2000))
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
      } catch (Exception e) {
        last = e;
      }
    }
    throw new AssertionError("no reply from the peer JVM on " + address, last);
  }

  private static void awaitLog(Path log, String line, Process p, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      String content = Files.exists(log) ? Files.readString(log) : "";
      if (content.contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("peer exited with " + p.exitValue() + ":\n" + content);
      }
      try {
        p.onExit().get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        // poll again
      }
    }
    throw new AssertionError("peer did not print '" + line + "' in time:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
