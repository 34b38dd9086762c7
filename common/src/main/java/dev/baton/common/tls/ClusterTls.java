package dev.baton.common.tls;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual TLS on the event bus (docs/ARCHITECTURE.md, "Cluster"): every member presents a certificate signed by
 * the cluster CA and accepts only peers that do. The key and trust managers handed to Vert.x delegate to the
 * material loaded last, so {@link #reloadIfChanged()} rotates certificates for new connections without a
 * restart; a set of files that fails the checks keeps the previous material in use.
 */
public final class ClusterTls {

  public static final String CA = "BATON_CLUSTER_CA";
  public static final String CERT = "BATON_CLUSTER_CERT";
  public static final String KEY = "BATON_CLUSTER_KEY";
  public static final String INSECURE = "BATON_CLUSTER_INSECURE";
  public static final String RELOAD = "BATON_CLUSTER_RELOAD_S";
  private static final char[] NO_PASSWORD = new char[0];

  /** The three PEM files of a member, and how often they are checked for a change (0: never). */
  public record MemberFiles(Path ca, Path cert, Path key, long reloadSeconds) {
  }

  private final MemberFiles files;
  private final DelegatingKeyManager keyManager = new DelegatingKeyManager();
  private final DelegatingTrustManager trustManager = new DelegatingTrustManager();
  private volatile String stamp;
  private volatile String failedStamp;

  private ClusterTls(MemberFiles files) {
    this.files = files;
  }

  /**
   * The member's certificate files from {@code config}, or empty when the cluster runs without TLS, which is
   * allowed only with {@code BATON_CLUSTER_INSECURE=true} on a loopback {@code BATON_CLUSTER_HOST}.
   *
   * @throws ConfigException naming the keys to set when neither holds
   */
  public static Optional<MemberFiles> resolve(BatonConfig config) {
    String ca = config.stringSetting(CA, null);
    String cert = config.stringSetting(CERT, null);
    String key = config.stringSetting(KEY, null);
    boolean insecure = config.boolSetting(INSECURE, false);
    long reload = config.intSetting(RELOAD, 10, 0, 86_400);
    List<String> missing = new ArrayList<>();
    if (ca == null) {
      missing.add(CA);
    }
    if (cert == null) {
      missing.add(CERT);
    }
    if (key == null) {
      missing.add(KEY);
    }
    if (missing.isEmpty()) {
      return Optional.of(new MemberFiles(Path.of(ca), Path.of(cert), Path.of(key), reload));
    }
    if (missing.size() < 3) {
      throw new ConfigException(List.of("cluster TLS is half-configured: set " + String.join(" and ", missing)
          + " too (BATON_CLUSTER_CA, BATON_CLUSTER_CERT and BATON_CLUSTER_KEY go together)"));
    }
    if (!insecure) {
      throw new ConfigException(List.of("the event bus needs mutual TLS: set " + CA + ", " + CERT + " and " + KEY
          + " (PEM files; make them with `./baton certs init <dir>` and `./baton certs issue <dir> <name> --host <host>`)"
          + ", or, for a single-host development cluster only, " + INSECURE + "=true with a loopback BATON_CLUSTER_HOST"));
    }
    if (!isLoopback(config.clusterHost())) {
      throw new ConfigException(List.of(INSECURE + "=true is refused because BATON_CLUSTER_HOST '"
          + config.clusterHost() + "' is not a loopback address: a cluster reachable from the network needs "
          + CA + ", " + CERT + " and " + KEY));
    }
    return Optional.empty();
  }

  /** True for 127.0.0.0/8, ::1 and {@code localhost}, decided without a DNS lookup. */
  public static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** Loads and checks the files (blocking: call it before Vert.x starts or on a worker). */
  public static ClusterTls load(MemberFiles files) {
    ClusterTls tls = new ClusterTls(files);
    String stamp = stampOf(files);
    List<String> problems = tls.install();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    tls.stamp = stamp;
    return tls;
  }

  public MemberFiles files() {
    return files;
  }

  /** Mutual TLS with this material on {@code options}: TLS 1.3, client certificate required. */
  public EventBusOptions apply(EventBusOptions options) {
    options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
        .setTrustOptions(TrustOptions.wrap(trustManager))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
    return options;
  }

  /**
   * Loads the files again when their size or modification time changed (blocking). Returns a line to log, or
   * null when nothing changed; a change that fails the checks is reported once and the material in use stays.
   */
  public String reloadIfChanged() {
    String now = stampOf(files);
    if (now.equals(stamp) || now.equals(failedStamp)) {
      return null;
    }
    List<String> problems = install();
    if (problems.isEmpty()) {
      stamp = now;
      failedStamp = null;
      return "cluster TLS: certificate reloaded from " + files.cert();
    }
    failedStamp = now;
    return "cluster TLS: the certificate files changed but fail the checks, still using the previous ones: "
        + String.join("; ", problems);
  }

  private List<String> install() {
    CertificateChecks.Result r = CertificateChecks.check(files.ca(), files.cert(), files.key(), Instant.now());
    if (!r.ok()) {
      return r.problems();
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("baton", r.key(), NO_PASSWORD, r.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(keys, NO_PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < r.cas().size(); i++) {
        trust.setCertificateEntry("ca-" + i, r.cas().get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      keyManager.use((X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
      trustManager.use((X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
      return List.of();
    } catch (GeneralSecurityException | IOException e) {
      return List.of(files.cert() + ": cannot be used for TLS (" + e.getMessage() + ")");
    }
  }

  private static String stampOf(MemberFiles f) {
    StringBuilder sb = new StringBuilder();
    for (Path p : List.of(f.ca(), f.cert(), f.key())) {
      try {
        sb.append(java.nio.file.Files.size(p)).append('/').append(java.nio.file.Files.getLastModifiedTime(p)).append(';');
      } catch (IOException e) {
        sb.append("missing;");
      }
    }
    return sb.toString();
  }
}
