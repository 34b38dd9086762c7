package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import io.vertx.core.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  static GatewaySettings settings(Map<String, String> env) {
    return GatewaySettings.from(ConfigLoader.resolve(ServiceKind.GATEWAY, null, env, "host-a"));
  }

  @Test
  void transportDefaultsToAutoAndIsCaseInsensitive() {
    assertThat(settings(Map.of()).transport()).isEqualTo("auto");
    assertThat(settings(Map.of("BATON_TRANSPORT", " EPOLL ")).transport()).isEqualTo("epoll");
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
}
