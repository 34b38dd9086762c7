package dev.baton.cli;

import dev.baton.common.tls.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton certs init|issue}: the cluster CA and member certificates (docs/ARCHITECTURE.md, "Cluster"). */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = "Make the cluster CA and the member certificates the event bus requires (mutual TLS).",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class},
    footer = {"", "Examples:",
        "  baton certs init /etc/baton/pki",
        "  baton certs issue /etc/baton/pki agent-1 --host 10.0.0.11 --host agent-1.internal",
        "  # then, on that host: BATON_CLUSTER_CA=ca.pem BATON_CLUSTER_CERT=agent-1.pem BATON_CLUSTER_KEY=agent-1-key.pem"})
final class CertsCommand {

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a CA in DIR: ca.pem (give it to every member) and ca-key.pem (keep it offline).",
      footer = {"", "Example:", "  baton certs init /secure/baton-ca --name 'acme baton CA'"})
  static final class Init implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "directory for ca.pem and ca-key.pem")
    Path dir;

    @Option(names = "--name", defaultValue = "baton cluster CA", description = "the CA's common name (default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() throws IOException {
      CertificateAuthority.init(dir, name);
      System.out.println("wrote " + dir.resolve(CertificateAuthority.CA_CERT) + " and "
          + dir.resolve(CertificateAuthority.CA_KEY) + " (0600; keep it off the fleet)");
      return 0;
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issue NAME.pem and NAME-key.pem in DIR, signed by the CA there, for the given hosts.",
      footer = {"", "Example:", "  baton certs issue /secure/baton-ca agent-1 --host 10.0.0.11 --out ./agent-1"})
  static final class Issue implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "directory holding ca.pem and ca-key.pem")
    Path dir;

    @Parameters(index = "1", paramLabel = "NAME", description = "member name: letters, digits, '.', '_' or '-'")
    String name;

    @Option(names = "--host", paramLabel = "H", description = "DNS name or IP address of the member (repeatable)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", defaultValue = "365", description = "validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--out", paramLabel = "OUTDIR",
        description = "write the certificate and key here instead of DIR (keep ca-key.pem where members never see it)")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (days < 1 || days > 3650) {
        throw new IllegalArgumentException("--days must be 1..3650");
      }
      List<Path> written = CertificateAuthority.load(dir).issue(out == null ? dir : out, name, hosts,
          Duration.ofDays(days));
      System.out.println("wrote " + written.get(0) + " and " + written.get(1) + " (0600), valid " + days + " days"
          + (hosts.isEmpty() ? "" : " for " + String.join(", ", hosts)));
      return 0;
    }
  }
}
