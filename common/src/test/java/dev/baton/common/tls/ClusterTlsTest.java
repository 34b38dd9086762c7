package dev.baton.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterTlsTest {

  private static BatonConfig config(Map<String, String> env) {
    return ConfigLoader.resolve(ServiceKind.AGENT, null, env, "h");
  }

  @Test
  void withoutCertificatesAServiceRefusesToStartAndNamesTheKeys() {
    assertThatThrownBy(() -> ClusterTls.resolve(config(Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("BATON_CLUSTER_CA").hasMessageContaining("BATON_CLUSTER_CERT")
        .hasMessageContaining("BATON_CLUSTER_KEY").hasMessageContaining("BATON_CLUSTER_INSECURE");
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1, true", "127.9.9.9, true", "localhost, true", "::1, true", "[::1], true",
      "0.0.0.0, false", "10.0.0.3, false", "198.18.0.11, false", "agent-1, false"})
  void insecureIsAllowedOnlyOnALoopbackClusterHost(String host, boolean allowed) {
    BatonConfig c = config(Map.of("BATON_CLUSTER_INSECURE", "true", "BATON_CLUSTER_HOST", host));
    if (allowed) {
      assertThat(ClusterTls.resolve(c)).isEmpty();
    } else {
      assertThatThrownBy(() -> ClusterTls.resolve(c)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("BATON_CLUSTER_INSECURE=true is refused").hasMessageContaining(host);
    }
  }

  @Test
  void halfAConfigurationNamesWhatIsMissing() {
    assertThatThrownBy(() -> ClusterTls.resolve(config(Map.of("BATON_CLUSTER_CA", "/x/ca.pem",
        "BATON_CLUSTER_INSECURE", "true"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("half-configured")
        .hasMessageContaining("BATON_CLUSTER_CERT and BATON_CLUSTER_KEY");
  }

  @Test
  void loadsCheckedMaterialIntoMutualTlsOptions(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.init(dir, "ca");
    List<Path> m = ca.issue(dir, "m", List.of("127.0.0.1"), Duration.ofDays(1));
    ClusterTls tls = ClusterTls.load(ClusterTls.resolve(config(files(dir, m))).orElseThrow());
    EventBusOptions options = tls.apply(new EventBusOptions());
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getEnabledSecureTransportProtocols()).containsExactly("TLSv1.3");
  }

  @Test
  void aCertificateOfAnotherCaIsAStartErrorNamingTheFile(@TempDir Path dir) throws Exception {
    CertificateAuthority.init(dir.resolve("ours"), "ours");
    CertificateAuthority theirs = CertificateAuthority.init(dir.resolve("theirs"), "theirs");
    List<Path> m = theirs.issue(dir.resolve("theirs"), "m", List.of(), Duration.ofDays(1));
    BatonConfig c = config(files(dir.resolve("ours"), m));
    assertThatThrownBy(() -> ClusterTls.load(ClusterTls.resolve(c).orElseThrow()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(m.get(0).toString())
        .hasMessageContaining("not signed by the cluster CA");
  }

  private static Map<String, String> files(Path caDir, List<Path> member) {
    return Map.of("BATON_CLUSTER_CA", caDir.resolve("ca.pem").toString(), "BATON_CLUSTER_CERT", member.get(0).toString(),
        "BATON_CLUSTER_KEY", member.get(1).toString());
  }
}
