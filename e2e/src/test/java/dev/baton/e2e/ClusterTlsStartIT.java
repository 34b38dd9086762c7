package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.common.tls.CertificateAuthority;
import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.stack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service jar refuses to start without usable cluster TLS (SECURITY.md): exit status 2, the keys or the file
 * named, and nothing joined (no Hazelcast member started). On loopback, {@code BATON_CLUSTER_INSECURE=true} starts
 * with a warning.
 */
class ClusterTlsStartIT {

  private static final List<String> JARS = List.of("agent", "gateway", "registry");
  @TempDir
  static Path dir;
  private static Map<String, Map<String, String>> cases;

  @BeforeAll
  static void makeBadCertificates() throws Exception {
    Path ours = ClusterCerts.caDir();
    CertificateAuthority ca = CertificateAuthority.load(ours);
    CertificateAuthority foreign = CertificateAuthority.init(dir.resolve("foreign"), "foreign CA");
    Path bad = dir.resolve("bad");
    List<Path> good = ca.issue(bad, "good", CertificateAuthority.loopbackHosts(), Duration.ofDays(1));
    List<Path> other = ca.issue(bad, "other", CertificateAuthority.loopbackHosts(), Duration.ofDays(1));
    List<Path> stranger = foreign.issue(bad, "stranger", CertificateAuthority.loopbackHosts(), Duration.ofDays(1));
    Instant now = Instant.now();
    List<Path> expired = ca.issue(bad, "expired", CertificateAuthority.loopbackHosts(), now.minus(Duration.ofDays(30)),
        now.minus(Duration.ofDays(1)));
    String caPem = ours.resolve("ca.pem").toString();
    cases = Map.of(
        "no certificates", Map.of(),
        "insecure off loopback", Map.of("BATON_CLUSTER_INSECURE", "true", "BATON_CLUSTER_HOST", "0.0.0.0"),
        "half configured", Map.of("BATON_CLUSTER_CA", caPem),
        "missing certificate file", tls(caPem, bad.resolve("nope.pem"), good.get(1)),
        "not signed by the CA", tls(caPem, stranger.get(0), stranger.get(1)),
        "expired", tls(caPem, expired.get(0), expired.get(1)),
        "key of another certificate", tls(caPem, good.get(0), other.get(1)));
  }

  static Stream<Arguments> refusals() {
    return JARS.stream().flatMap(jar -> Stream.of(
        Arguments.of(jar, "no certificates", List.of("BATON_CLUSTER_CA", "BATON_CLUSTER_CERT", "BATON_CLUSTER_KEY")),
        Arguments.of(jar, "insecure off loopback", List.of("BATON_CLUSTER_INSECURE=true is refused", "0.0.0.0")),
        Arguments.of(jar, "half configured", List.of("BATON_CLUSTER_CERT and BATON_CLUSTER_KEY")),
        Arguments.of(jar, "missing certificate file", List.of("nope.pem", "does not exist")),
        Arguments.of(jar, "not signed by the CA", List.of("stranger.pem", "not signed by the cluster CA")),
        Arguments.of(jar, "expired", List.of("expired.pem", "expired on")),
        Arguments.of(jar, "key of another certificate", List.of("other-key.pem", "does not belong"))));
  }

  @ParameterizedTest(name = "{0}: {1} exits 2")
  @MethodSource("refusals")
  void refusesToStartNamingTheKeyOrTheFile(String service, String situation, List<String> named) throws Exception {
    Map<String, String> env = new HashMap<>(cases.get(situation));
    env.put("BATON_CLUSTER_PORT", String.valueOf(FreePorts.find()));
    env.put("BATON_DATA_DIR", dir.resolve(service + "-" + situation.replace(' ', '-')).toString());
    try (ManagedProcess p = ManagedProcess.builder(JavaJar.command(Service.jar(ServiceKind.valueOf(service.toUpperCase(java.util.Locale.ROOT)))))
        .name(service + "-" + situation.replace(' ', '-')).env(env).start()) {
      assertThat(p.waitForExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(2);
      String out = Files.readString(p.logFile());
      assertThat(out).contains(service + ": invalid configuration");
      named.forEach(n -> assertThat(out).contains(n));
      assertThat(out).as("nothing joined").doesNotContain("Members {size");
    }
  }

  @Test
  void insecureOnLoopbackStartsWithALoudWarning() throws Exception {
    Map<String, String> env = Map.of("BATON_CLUSTER_INSECURE", "true", "BATON_CLUSTER_HOST", "127.0.0.1",
        "BATON_CLUSTER_PORT", String.valueOf(FreePorts.find()), "BATON_HTTP_PORT", String.valueOf(FreePorts.find()),
        "BATON_DATA_DIR", dir.resolve("insecure-agent").toString(), "BATON_CONSUL_PORT", String.valueOf(FreePorts.find()));
    try (ManagedProcess p = ManagedProcess.builder(JavaJar.command(Service.jar(ServiceKind.AGENT)))
        .name("agent-insecure").env(env).start()) {
      p.awaitLog(Pattern.compile("WARNING: the event bus runs WITHOUT TLS \\(BATON_CLUSTER_INSECURE=true on 127\\.0\\.0\\.1\\)"),
          Duration.ofSeconds(60));
    }
  }

  private static Map<String, String> tls(String ca, Path cert, Path key) {
    return Map.of("BATON_CLUSTER_CA", ca, "BATON_CLUSTER_CERT", cert.toString(), "BATON_CLUSTER_KEY", key.toString());
  }
}
