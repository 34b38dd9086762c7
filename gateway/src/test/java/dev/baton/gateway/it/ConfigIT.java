package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.stack.Service;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway jar refuses a bad configuration before it binds anything: exit status 2, the key named once. */
class ConfigIT {

  @ParameterizedTest(name = "{0}={1} exits 2")
  @CsvSource({"BATON_TRANSPORT, kqueue", "BATON_UPSTREAM_TIMEOUT_MS, soon", "BATON_TRUSTED_PROXIES, 10.0.0.0/99",
      "BATON_TLS_RELOAD_S, often"})
  void aBadSettingExitsWithStatus2AndNamesTheKey(String key, String value) throws Exception {
    try (ManagedProcess gw = ManagedProcess.builder(JavaJar.command(Service.jar(ServiceKind.GATEWAY)))
        .name("gateway-config-" + key).env(ClusterCerts.env("gateway")).env(key, value).start()) {
      assertThat(gw.waitForExit(Duration.ofSeconds(30))).isEqualTo(2);
      String out = Files.readString(gw.logFile());
      assertThat(out).contains("gateway: invalid configuration: " + key).contains(value)
          .doesNotContain("invalid configuration: invalid configuration");
    }
  }
}
