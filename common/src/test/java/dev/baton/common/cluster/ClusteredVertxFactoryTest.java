package dev.baton.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.tls.CertificateAuthority;
import dev.baton.common.tls.ClusterTls;
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
    assertThat(hz.getProperty("hazelcast.socket.client.bind.any")).isEqualTo("false");
    assertThat(hz.getMetricsConfig().isEnabled()).as("no Management Center, no metrics collection").isFalse();
    assertThat(hz.getSerializationConfig().getJavaSerializationFilterConfig().getWhitelist().getPrefixes())
        .containsExactlyInAnyOrder("io.vertx.spi.cluster.hazelcast.", "io.vertx.core.");
  }

  @Test
  void twoJvmsExchangeAnEventBusRequestOverMutualTls(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(dir.resolve("pki"), "test CA");
    String cluster = "test-" + UUID.randomUUID();
    int peerPort = freePort();
    int myPort = freePort();
    String address = "test.ping." + UUID.randomUUID();
    Path log = dir.resolve("peer.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ClusterPeerMain.class.getName(), address).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(ClusterPeerMain.env(cluster, peerPort, myPort, member(ca, dir, "peer")));
    Process peer = pb.start();
    Vertx vertx = null;
    try {
      awaitLog(log, "peer ready", peer, Duration.ofSeconds(60));
      BatonConfig mine = ConfigLoader.resolve(ServiceKind.GATEWAY, null,
          ClusterPeerMain.env(cluster, myPort, peerPort, member(ca, dir, "me")), "me");
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

  /**
   * A member that joins Hazelcast with the right cluster name but has no certificate (the rogue of SECURITY.md)
   * neither reaches a TLS member's consumer nor receives what the TLS member sends to its own consumer.
   */
  @Test
  void aMemberWithoutTheClusterCertificateCanNeitherSendNorReceive(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(dir.resolve("pki"), "test CA");
    String cluster = "test-" + UUID.randomUUID();
    int goodPort = freePort();
    int roguePort = freePort();
    Vertx good = null;
    Vertx rogue = null;
    try {
      good = await(ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.AGENT, null,
          ClusterPeerMain.env(cluster, goodPort, roguePort, member(ca, dir, "good")), "good")));
      rogue = await(ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.AGENT, null,
          ClusterPeerMain.env(cluster, roguePort, goodPort, Map.of()), "rogue")));
      java.util.concurrent.atomic.AtomicInteger goodGot = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger rogueGot = new java.util.concurrent.atomic.AtomicInteger();
      await(good.eventBus().<String>consumer("good.inbox", m -> {
        goodGot.incrementAndGet();
        m.reply("pong");
      }).completion());
      await(rogue.eventBus().<String>consumer("rogue.inbox", m -> {
        rogueGot.incrementAndGet();
        m.reply("pong");
      }).completion());
      Vertx g = good;
      Vertx r = rogue;
      awaitTrue(() -> memberCount(g) == 2, Duration.ofSeconds(30));
      for (int i = 0; i < 3; i++) {
        assertThat(requestFails(r, "good.inbox")).as("rogue -> good").isTrue();
        assertThat(requestFails(g, "rogue.inbox")).as("good -> rogue").isTrue();
      }
      assertThat(goodGot).hasValue(0);
      assertThat(rogueGot).hasValue(0);
    } finally {
      for (Vertx v : new Vertx[] {rogue, good}) {
        if (v != null) {
          v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * A renewed member certificate is served to new event-bus connections without a restart, a peer without a
   * certificate is refused at the handshake, and files that fail the checks leave the served certificate alone.
   */
  @Test
  void aRenewedCertificateIsServedWithoutARestart(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(dir.resolve("pki"), "test CA");
    Map<String, String> env = new java.util.HashMap<>(member(ca, dir, "a"));
    int port = freePort();
    env.putAll(Map.of("BATON_CLUSTER_NAME", "test-" + UUID.randomUUID(), "BATON_CLUSTER_PORT", String.valueOf(port),
        "BATON_CLUSTER_MEMBERS", "127.0.0.1:" + port, "BATON_CLUSTER_RELOAD_S", "1"));
    Vertx vertx = await(ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.AGENT, null, env, "a")));
    try {
      io.vertx.core.spi.cluster.NodeInfo bus = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodeInfo();
      Path pki = dir.resolve("pki");
      java.util.List<Path> probe = ca.issue(pki, "probe", java.util.List.of(), Duration.ofDays(1));
      java.math.BigInteger first = TlsProbe.servedSerial(bus.host(), bus.port(), pki.resolve("ca.pem"), probe);
      assertThat(TlsProbe.handshakeFails(bus.host(), bus.port(), pki.resolve("ca.pem")))
          .as("a client without a certificate is refused").isTrue();

      ca.issue(pki, "a", CertificateAuthority.loopbackHosts(), Duration.ofDays(2));
      awaitTrue(() -> !first.equals(TlsProbe.servedSerialQuietly(bus.host(), bus.port(), pki.resolve("ca.pem"), probe)),
          Duration.ofSeconds(30));
      java.math.BigInteger second = TlsProbe.servedSerial(bus.host(), bus.port(), pki.resolve("ca.pem"), probe);

      ClusterTls tls = ClusterTls.load(ClusterTls.resolve(ConfigLoader.resolve(ServiceKind.AGENT, null, env, "a"))
          .orElseThrow());
      CertificateAuthority other = CertificateAuthority.init(dir.resolve("other"), "other CA");
      other.issue(pki, "a", java.util.List.of(), Duration.ofDays(3)); // not signed by the cluster CA
      assertThat(await(tls.reloadIfChanged(vertx))).contains("fail the checks").contains("not signed by the cluster CA");
      assertThat(TlsProbe.servedSerial(bus.host(), bus.port(), pki.resolve("ca.pem"), probe)).isEqualTo(second);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static int memberCount(Vertx vertx) {
    return ((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodes().size();
  }

  private static boolean requestFails(Vertx from, String address) throws Exception {
    try {
      from.eventBus().<String>request(address, "ping", new DeliveryOptions().setSendTimeout(3000))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier check, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline);
      }
      Thread.sleep(50);
    }
  }

  static Map<String, String> member(CertificateAuthority ca, Path dir, String name) throws IOException {
    Path pki = dir.resolve("pki");
    java.util.List<Path> files = ca.issue(pki, name, CertificateAuthority.loopbackHosts(), Duration.ofDays(1));
    return Map.of("BATON_CLUSTER_CA", pki.resolve("ca.pem").toString(), "BATON_CLUSTER_CERT", files.get(0).toString(),
        "BATON_CLUSTER_KEY", files.get(1).toString());
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
