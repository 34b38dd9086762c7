package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import io.vertx.core.transport.Transport;
import dev.baton.gateway.connections.ConnectionLimits;
import dev.baton.gateway.connections.DescriptorLimits;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySettingsTest {

  static GatewaySettings settings(Map<String, String> env) {
    return GatewaySettings.from(ConfigLoader.resolve(ServiceKind.GATEWAY, null, env, "host-a"));
  }

  @Test
  void transportDefaultsToAutoAndIsCaseInsensitive() {
    assertThat(settings(Map.of()).transport()).isEqualTo("auto");
    assertThat(settings(Map.of("BATON_TRANSPORT", " EPOLL ")).transport()).isEqualTo("epoll");
  }

  /** TimeoutsIT checks equal idle and upstream timeouts end in the upstream timeout's 504; the defaults are equal. */
  @Test
  void theDefaultIdleAndUpstreamTimeoutsAreSixtySecondsEach() {
    GatewaySettings s = settings(Map.of());
    assertThat(s.idleTimeoutSeconds()).isEqualTo(60);
    assertThat(s.upstreamTimeoutMs()).isEqualTo(60_000);
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> settings(Map.of("BATON_TRANSPORT", "kqueue")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_TRANSPORT")
        .hasMessageContaining("kqueue")
        .hasMessageContaining("io_uring");
  }

  @Test
  void autoTakesTheBestAvailableTransport() {
    Transport expected = Transport.IO_URING.available() ? Transport.IO_URING
        : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    assertThat(GatewayMain.transport("auto")).isSameAs(expected);
    assertThat(GatewayMain.transport("nio")).isSameAs(Transport.NIO);
  }

  @Test
  void anExplicitTransportMustBeAvailable() {
    for (Transport t : new Transport[] {Transport.IO_URING, Transport.EPOLL}) {
      String name = t == Transport.IO_URING ? "io_uring" : "epoll";
      if (t.available()) {
        assertThat(GatewayMain.transport(name)).isSameAs(t);
      } else {
        assertThatThrownBy(() -> GatewayMain.transport(name)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("not available");
      }
    }
  }

  @Test
  void httpsIsOffByDefault() {
    assertThat(settings(Map.of()).tls()).isNull();
  }

  @Test
  void httpsTakesAReadableCertificateAndKey(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    GatewaySettings.Tls tls = settings(Map.of("BATON_HTTPS_PORT", "8443", "BATON_TLS_CERT", cert.toString(),
        "BATON_TLS_KEY", key.toString())).tls();
    assertThat(tls).isEqualTo(new GatewaySettings.Tls(8443, cert.toString(), key.toString(), 60, false));
  }

  @Test
  void httpsWithoutCertificateOrKeyIsRefusedNamingBoth() {
    assertThatThrownBy(() -> settings(Map.of("BATON_HTTPS_PORT", "8443")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_TLS_CERT")
        .hasMessageContaining("BATON_TLS_KEY");
  }

  @Test
  void anUnreadableCertificateIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    String missing = dir.resolve("nope.pem").toString();
    assertThatThrownBy(() -> settings(Map.of("BATON_HTTPS_PORT", "8443", "BATON_TLS_CERT", missing,
        "BATON_TLS_KEY", key.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_TLS_CERT")
        .hasMessageContaining(missing);
  }

  @Test
  void aCertificateWithoutAnHttpsPortIsRefused(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThatThrownBy(() -> settings(Map.of("BATON_TLS_CERT", cert.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_HTTPS_PORT");
  }

  @Test
  void theHttpsPortMustDifferFromTheOthers(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    assertThatThrownBy(() -> settings(Map.of("BATON_HTTPS_PORT", "9000", "BATON_HTTP_PORT", "9000",
        "BATON_TLS_CERT", cert.toString(), "BATON_TLS_KEY", key.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_HTTPS_PORT");
  }

  static GatewaySettings settings(Map<String, String> env, DescriptorLimits fds) {
    return GatewaySettings.from(ConfigLoader.resolve(ServiceKind.GATEWAY, null, env, "host-a"), fds);
  }

  @Test
  void theGlobalConnectionLimitDefaultsToAQuarterBelowTheOpenFileLimit() {
    ConnectionLimits l = settings(Map.of(), new DescriptorLimits(20_000, 20_000, 100)).connections();
    assertThat(l.maxConnections()).isEqualTo(15_000);
    assertThat(l.maxPerClient()).isEqualTo(ConnectionLimits.DEFAULT_PER_CLIENT);
    assertThat(settings(Map.of("BATON_MAX_CONNECTIONS", "2000"), new DescriptorLimits(20_000, 20_000, 100))
        .connections().maxConnections()).isEqualTo(2000);
  }

  @Test
  void aConnectionLimitNotBelowTheOpenFileLimitIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> settings(Map.of("BATON_MAX_CONNECTIONS", "20000"), new DescriptorLimits(20_000, 20_000, 1)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_MAX_CONNECTIONS")
        .hasMessageContaining("LimitNOFILE");
    assertThatThrownBy(() -> settings(Map.of("BATON_MAX_CLIENT_CONNECTIONS", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_MAX_CLIENT_CONNECTIONS");
    assertThatThrownBy(() -> settings(Map.of("BATON_CLIENT_LIMIT_EXEMPT", "10.0.0.0/33")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BATON_CLIENT_LIMIT_EXEMPT");
  }

  @Test
  void loopbackAndTrustedProxiesAreExemptFromThePerClientCapByDefault() throws Exception {
    ConnectionLimits l = settings(Map.of("BATON_TRUSTED_PROXIES", "10.1.0.0/16")).connections();
    assertThat(l.capped(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(l.capped(InetAddress.getByName("::1"))).isFalse();
    assertThat(l.capped(InetAddress.getByName("10.1.2.3"))).as("a trusted proxy").isFalse();
    assertThat(l.capped(InetAddress.getByName("127.0.0.2"))).isTrue();
    assertThat(l.capped(InetAddress.getByName("203.0.113.9"))).isTrue();
    assertThat(settings(Map.of("BATON_MAX_CLIENT_CONNECTIONS", "0")).connections()
        .capped(InetAddress.getByName("203.0.113.9"))).as("0: no cap").isFalse();
    assertThat(settings(Map.of("BATON_CLIENT_LIMIT_EXEMPT", "203.0.113.0/24")).connections()
        .capped(InetAddress.getByName("127.0.0.1"))).as("the list replaces the default").isTrue();
  }

  @Test
  void theHandoverDefaultsToFiveSecondsAndABadValueIsRefusedNamingTheKey() {
    assertThat(settings(Map.of()).handoverMs()).isEqualTo(5_000);
    assertThat(settings(Map.of("BATON_HANDOVER_MS", "0")).handoverMs()).isZero();
    assertThatThrownBy(() -> settings(Map.of("BATON_HANDOVER_MS", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_HANDOVER_MS");
  }

  @Test
  void bodiesAndTheUpstreamQueueHaveAProxysDefaults() {
    GatewaySettings s = settings(Map.of());
    assertThat(s.bodies()).isEqualTo(new GatewaySettings.RequestBodies(64 * 1024, 60_000, 500, 20_000));
    assertThat(s.upstreamQueue()).isEqualTo(new GatewaySettings.UpstreamQueue(1024, 2000));
    assertThat(settings(Map.of("BATON_CONNECT_TIMEOUT_MS", "700")).upstreamQueue().timeoutMs())
        .as("the queue's wait defaults to the connect timeout, as HAProxy's timeout queue").isEqualTo(700);
  }

  @Test
  void badBodyAndQueueSettingsAreRefusedNamingTheKey() {
    for (Map.Entry<String, String> bad : Map.of("BATON_REQUEST_BUFFER_BYTES", "-1", "BATON_BODY_TIMEOUT_MS", "10",
        "BATON_BODY_MIN_RATE", "fast", "BATON_BODY_RATE_GRACE_MS", "-5", "BATON_UPSTREAM_QUEUE_SIZE", "-1",
        "BATON_UPSTREAM_QUEUE_TIMEOUT_MS", "0").entrySet()) {
      assertThatThrownBy(() -> settings(Map.of(bad.getKey(), bad.getValue()))).as(bad.getKey())
          .isInstanceOf(ConfigException.class).hasMessageContaining(bad.getKey());
    }
  }
}
