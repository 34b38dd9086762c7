package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.tls.CertificateChecks;
import dev.baton.common.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {

  @Test
  void initThenIssueWritesAMemberCertificateThatPassesTheChecks(@TempDir Path dir) throws Exception {
    assertThat(BatonCli.run("certs", "init", dir.toString())).isZero();
    assertThat(BatonCli.run("certs", "issue", dir.toString(), "agent-1", "--host", "198.18.0.11", "--host",
        "agent-1.internal")).isZero();

    CertificateChecks.Result r = CertificateChecks.check(dir.resolve("ca.pem"), dir.resolve("agent-1.pem"),
        dir.resolve("agent-1-key.pem"), Instant.now());
    assertThat(r.problems()).isEmpty();
    X509Certificate cert = Pem.certificates(dir.resolve("agent-1.pem")).get(0);
    assertThat(cert.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
        .containsExactly("198.18.0.11", "agent-1.internal");
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent-1-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void initRefusesToOverwriteACa(@TempDir Path dir) throws Exception {
    assertThat(BatonCli.run("certs", "init", dir.toString())).isZero();
    byte[] before = Files.readAllBytes(dir.resolve("ca-key.pem"));
    assertThat(BatonCli.run("certs", "init", dir.toString())).isEqualTo(1);
    assertThat(Files.readAllBytes(dir.resolve("ca-key.pem"))).isEqualTo(before);
  }

  @Test
  void badInputIsAUsageErrorAndWritesNothing(@TempDir Path dir) throws Exception {
    assertThat(BatonCli.run("certs", "init", dir.toString())).isZero();
    assertThat(BatonCli.run("certs", "issue", dir.toString(), "../escape")).isEqualTo(2);
    assertThat(BatonCli.run("certs", "issue", dir.toString(), "ok", "--host", "bad host")).isEqualTo(2);
    assertThat(BatonCli.run("certs", "issue")).isEqualTo(2);
    assertThat(BatonCli.run("certs", "issue", dir.resolve("nothing-here").toString(), "x")).isEqualTo(1);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("ca.pem", "ca-key.pem");
    }
  }

  @Test
  void aCertificateFromAnotherCaOrWithAnotherKeyIsNamedByFile(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    BatonCli.run("certs", "init", a.toString());
    BatonCli.run("certs", "init", b.toString());
    BatonCli.run("certs", "issue", a.toString(), "m1");
    BatonCli.run("certs", "issue", a.toString(), "m2");

    List<String> foreign = CertificateChecks.check(b.resolve("ca.pem"), a.resolve("m1.pem"), a.resolve("m1-key.pem"),
        Instant.now()).problems();
    assertThat(foreign).singleElement().asString().contains("m1.pem").contains("not signed by the cluster CA");
    List<String> wrongKey = CertificateChecks.check(a.resolve("ca.pem"), a.resolve("m1.pem"), a.resolve("m2-key.pem"),
        Instant.now()).problems();
    assertThat(wrongKey).singleElement().asString().contains("m2-key.pem").contains("does not belong");
    List<String> expired = CertificateChecks.check(a.resolve("ca.pem"), a.resolve("m1.pem"), a.resolve("m1-key.pem"),
        Instant.now().plusSeconds(400L * 86_400)).problems();
    assertThat(expired).singleElement().asString().contains("m1.pem").contains("expired");
    List<String> missing = CertificateChecks.check(a.resolve("ca.pem"), a.resolve("nope.pem"), a.resolve("m1-key.pem"),
        Instant.now()).problems();
    assertThat(missing).singleElement().asString().contains("nope.pem").contains("does not exist");
  }
}
