package dev.baton.testsupport;

import dev.baton.common.tls.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Cluster certificates for tests, made by the same code as {@code baton certs}: one throwaway CA per test JVM
 * and one member certificate per name, for loopback. Every service a test starts, and every in-test cluster
 * member, joins with {@link #env(String)}, so the suite runs with mutual TLS on the event bus as production
 * does. The directory is removed when the JVM exits.
 */
public final class ClusterCerts {

  private static final Map<String, Map<String, String>> ISSUED = new ConcurrentHashMap<>();
  private static volatile Path dir;
  private static volatile CertificateAuthority ca;

  private ClusterCerts() {
  }

  /** {@code BATON_CLUSTER_CA/CERT/KEY} for a member called {@code name}, issued on first use. */
  public static Map<String, String> env(String name) {
    return env(name, CertificateAuthority.loopbackHosts());
  }

  /**
   * As {@link #env(String)}, for a member reached at {@code hosts} (a fleet host's address besides loopback);
   * issued once per name and hosts.
   */
  public static Map<String, String> env(String name, List<String> hosts) {
    String file = name.replaceAll("[^A-Za-z0-9._-]", "-");
    if (!hosts.equals(CertificateAuthority.loopbackHosts())) {
      file = file + "-" + Integer.toHexString(hosts.hashCode());
    }
    String fileName = file;
    return ISSUED.computeIfAbsent(fileName, f -> issue(fileName, hosts));
  }

  /** The directory holding {@code ca.pem} and {@code ca-key.pem} (for tests that issue their own certificates). */
  public static Path caDir() {
    authority();
    return dir;
  }

  private static Map<String, String> issue(String name, List<String> hosts) {
    try {
      List<Path> files = authority().issue(dir, name, hosts,
          CertificateAuthority.MEMBER_VALIDITY);
      return Map.of("BATON_CLUSTER_CA", dir.resolve(CertificateAuthority.CA_CERT).toString(),
          "BATON_CLUSTER_CERT", files.get(0).toString(), "BATON_CLUSTER_KEY", files.get(1).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized CertificateAuthority authority() {
    if (ca == null) {
      try {
        dir = Files.createTempDirectory("baton-test-certs");
        ca = CertificateAuthority.init(dir, "baton test CA");
        Runtime.getRuntime().addShutdownHook(new Thread(ClusterCerts::removeDir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ca;
  }

  private static void removeDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
