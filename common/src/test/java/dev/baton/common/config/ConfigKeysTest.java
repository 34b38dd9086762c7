package dev.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  @Test
  void everyDesignKeyIsKnownToEveryService() {
    for (ServiceKind kind : ServiceKind.values()) {
      assertThat(ConfigKeys.forService(kind)).contains("BATON_HTTP_PORT", "BATON_CLUSTER_MEMBERS", "BATON_TOKEN");
    }
  }

  @Test
  void typosAndOtherServicesKeysAreUnknown() {
    BatonConfig agent = ConfigLoader.resolve(ServiceKind.AGENT, null,
        Map.of("BATON_DRAIN_TIMOUT_MS", "5", "BATON_DRAIN_TIMEOUT_MS", "5", "BATON_DEFAULT_APP", "shop"), "h");
    assertThat(ConfigKeys.unknown(agent)).containsExactly("BATON_DEFAULT_APP", "BATON_DRAIN_TIMOUT_MS");
    ConfigSource file = new ConfigSource("gw.yaml", "defaultApp: shop\nhttpPort: 9000\n");
    assertThat(ConfigKeys.unknown(ConfigLoader.resolve(ServiceKind.GATEWAY, file, Map.of(), "h"))).isEmpty();
  }
}
