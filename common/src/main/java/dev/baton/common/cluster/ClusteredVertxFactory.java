package dev.baton.common.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.tls.ClusterTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the clustered Vert.x every baton service joins: Hazelcast with TCP-IP join to the configured
 * members (multicast, auto-detection and phone-home off), bound to {@code BATON_CLUSTER_HOST}, in the
 * cluster named {@code BATON_CLUSTER_NAME} so stacks with different names never merge.
 *
 * <p>{@code BATON_CLUSTER_PORT} is the Hazelcast member port; 0 means 5701 with auto-increment, so
 * several services on one host find each other through the default member {@code 127.0.0.1}. The event
 * bus listens on a free port of the same interface and advertises {@code BATON_ADVERTISE_HOST}.
 * Hazelcast's own shutdown hook is off: each service closes Vert.x itself after finishing in-flight work.
 *
 * <p>The event bus runs mutual TLS with the member's certificate ({@link ClusterTls}); without one the cluster
 * may only run on loopback with {@code BATON_CLUSTER_INSECURE=true}. Hazelcast itself (open-source edition: no
 * member authentication, no TLS) is bound to the cluster interface only and deserializes only the classes
 * Vert.x's cluster maps hold (docs/ARCHITECTURE.md, "Cluster"; SECURITY.md).
 */
public final class ClusteredVertxFactory {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredVertxFactory.class);

  /** The event bus's TCP port; 0 (the default) takes a free one. Fix it to firewall the bus by port. */
  public static final String EVENT_BUS_PORT = "BATON_EVENT_BUS_PORT";

  /** Default Hazelcast member port when none is configured. */
  public static final int DEFAULT_MEMBER_PORT = 5701;

  private ClusteredVertxFactory() {
  }

  /** Starts a clustered Vert.x with {@code options} (event bus and cluster manager are set here). */
  public static Future<Vertx> create(BatonConfig config, VertxOptions options) {
    return create(config, options, null);
  }

  /**
   * As {@link #create(BatonConfig, VertxOptions)} on the given network transport; null leaves the choice to
   * Vert.x ({@code preferNativeTransport}: epoll on Linux when available).
   */
  public static Future<Vertx> create(BatonConfig config, VertxOptions options, Transport transport) {
    Optional<ClusterTls> tls;
    try {
      tls = ClusterTls.resolve(config).map(ClusterTls::load);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    EventBusOptions bus = new EventBusOptions(options.getEventBusOptions())
        .setHost(config.clusterHost())
        .setPort((int) config.intSetting(EVENT_BUS_PORT, 0, 0, 65_535))
        .setClusterPublicHost(config.advertiseHost());
    tls.ifPresentOrElse(t -> t.apply(bus), () -> warnInsecure(config));
    options.setEventBusOptions(bus);
    VertxBuilder builder = Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(config)));
    if (transport != null) {
      builder = builder.withTransport(transport);
    }
    return builder.buildClustered().onSuccess(vertx -> tls.ifPresent(t -> watch(vertx, t)));
  }

  /** Checks the certificate files every {@code BATON_CLUSTER_RELOAD_S} and loads them again when they changed. */
  private static void watch(Vertx vertx, ClusterTls tls) {
    long seconds = tls.files().reloadSeconds();
    if (seconds == 0) {
      return;
    }
    vertx.setPeriodic(seconds * 1000, id -> tls.reloadIfChanged(vertx).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("cluster TLS: reload failed: {}", ar.cause().getMessage());
      } else if (ar.result() != null) {
        LOG.info("{}", ar.result());
      }
    }));
  }

  private static void warnInsecure(BatonConfig config) {
    System.err.println("""
        ************************************************************************************************
        WARNING: the event bus runs WITHOUT TLS (BATON_CLUSTER_INSECURE=true on %s). Any process on this
        host that joins cluster '%s' can command the agents. For development on one host only; set
        BATON_CLUSTER_CA, BATON_CLUSTER_CERT and BATON_CLUSTER_KEY everywhere else (./baton certs).
        ************************************************************************************************"""
        .formatted(config.clusterHost(), config.clusterName()));
  }

  /** Checks the cluster security settings of {@code config} without starting anything (blocking: reads the files). */
  public static void check(BatonConfig config) {
    ClusterTls.resolve(config).ifPresent(ClusterTls::load);
  }

  public static Future<Vertx> create(BatonConfig config) {
    return create(config, new VertxOptions().setPreferNativeTransport(true));
  }

  /** The Hazelcast configuration for {@code config}: Vert.x's required maps plus our network rules. */
  public static Config hazelcastConfig(BatonConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.clusterName());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.local.localAddress", config.clusterHost());
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.socket.client.bind.any", "false");
    hz.setProperty("hazelcast.tcp.join.port.try.count", "10");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Detect a member killed with SIGKILL in seconds, not the default minute, so drains stop waiting for it.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // A host cut off for longer than that forms a cluster of its own; look for the other side every 5 s, not after
    // Hazelcast's default 300 s, so a healed partition merges back (and its agent answers again) within seconds.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.setProperty("hazelcast.logging.type", slf4jPresent() ? "slf4j" : "jdk");
    // Hazelcast's own metrics exist for its Management Center, which baton does not use (our metrics are
    // Micrometer's). Collecting them took a few milliseconds of the gateway's core every 5 s, compressed, and
    // kept the JIT compiling their probes minutes into a run (docs/ARCHITECTURE.md, "Cluster").
    hz.getMetricsConfig().setEnabled(false);

    NetworkConfig network = hz.getNetworkConfig();
    if (config.clusterPort() > 0) {
      network.setPort(config.clusterPort()).setPortAutoIncrement(false);
    } else {
      network.setPort(DEFAULT_MEMBER_PORT).setPortAutoIncrement(true).setPortCount(100);
    }
    network.getRestApiConfig().setEnabled(false);
    network.getMemcacheProtocolConfig().setEnabled(false);
    hz.getSerializationConfig().setJavaSerializationFilterConfig(deserializationFilter());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers()).setConnectionTimeoutSeconds(2);
    return hz;
  }

  /**
   * Hazelcast deserializes Java-serializable and name-loaded {@code DataSerializable} values only from this
   * allow-list: what Vert.x's cluster maps hold (node info, subscriptions, holders of cluster-serializable
   * values) and JDK value types. Hazelcast's own default deny-list of known gadget classes stays on as well.
   */
  static JavaSerializationFilterConfig deserializationFilter() {
    ClassFilter allow = new ClassFilter()
        .addPrefixes("io.vertx.spi.cluster.hazelcast.", "io.vertx.core.")
        .addClasses("java.lang.String", "java.lang.Integer", "java.lang.Long", "java.lang.Boolean",
            "java.lang.Number", "java.lang.Short", "java.lang.Byte", "java.lang.Double", "java.lang.Float",
            "java.lang.Character", "[B");
    return new JavaSerializationFilterConfig().setDefaultsDisabled(false).setWhitelist(allow);
  }

  private static boolean slf4jPresent() {
    try {
      Class.forName("org.slf4j.LoggerFactory", false, ClusteredVertxFactory.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
