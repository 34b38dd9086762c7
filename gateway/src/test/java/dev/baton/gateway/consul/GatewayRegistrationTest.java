package dev.baton.gateway.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.gateway.GatewaySettings;
import io.vertx.ext.consul.ServiceOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayRegistrationTest {

  private static ServiceOptions service(Map<String, String> env) {
    GatewaySettings s = GatewaySettings.from(ConfigLoader.resolve(ServiceKind.GATEWAY, null, env, "h"));
    return GatewayRegistration.service(s, "10.0.0.5:40000", 8080, 8081);
  }

  @Test
  void anAdminPortOnLoopbackIsCheckedOnLoopbackWhileTrafficIsAdvertised() {
    ServiceOptions o = service(Map.of("BATON_BIND", "0.0.0.0", "BATON_ADVERTISE_HOST", "10.0.0.5"));
    assertThat(o.getAddress()).isEqualTo("10.0.0.5");
    assertThat(o.getMeta()).containsEntry("http", "10.0.0.5:8080").containsEntry("admin", "127.0.0.1:8081");
    assertThat(o.getCheckOptions().getHttp()).isEqualTo("http://127.0.0.1:8081/health");
  }

  @Test
  void anAdminPortOnEveryInterfaceIsCheckedAtTheAdvertiseHost() {
    ServiceOptions o = service(Map.of("BATON_ADMIN_BIND", "0.0.0.0", "BATON_TOKEN", "t",
        "BATON_ADVERTISE_HOST", "10.0.0.5"));
    assertThat(o.getMeta()).containsEntry("admin", "10.0.0.5:8081");
    assertThat(o.getCheckOptions().getHttp()).isEqualTo("http://10.0.0.5:8081/health");
    ServiceOptions v6 = service(Map.of("BATON_ADMIN_BIND", "::1"));
    assertThat(v6.getCheckOptions().getHttp()).isEqualTo("http://[::1]:8081/health");
  }
}
