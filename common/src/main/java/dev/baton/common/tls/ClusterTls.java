package dev.baton.common.tls;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.TokenRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Mutual TLS on the event bus (docs/ARCHITECTURE.md, "Cluster"): every member presents a certificate signed by
 * the cluster CA and accepts only peers that do. The files are checked before use ({@link CertificateChecks});
 * {@link #reloadIfChanged} checks them again when they change and hands them to the event bus's server and
 * client for new connections, so a renewed certificate needs no restart; files that fail the checks leave the
 * ones in use.
 */
public final class ClusterTls {

  public static final String CA = "BATON_CLUSTER_CA";
  public static final String CERT = "BATON_CLUSTER_CERT";
  public static final String KEY = "BATON_CLUSTER_KEY";
  public static final String INSECURE = "BATON_CLUSTER_INSECURE";
  public static final String RELOAD = "BATON_CLUSTER_RELOAD_S";
  private static final String TLS13 = "TLSv1.3";

  /** The three PEM files of a member, and how often they are checked for a change (0: never). */
  public record MemberFiles(Path ca, Path cert, Path key, long reloadSeconds) {
  }

  private final MemberFiles files;
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
    if (!TokenRule.isLoopback(config.clusterHost())) {
      throw new ConfigException(List.of(INSECURE + "=true is refused because BATON_CLUSTER_HOST '"
          + config.clusterHost() + "' is not a loopback address: a cluster reachable from the network needs "
          + CA + ", " + CERT + " and " + KEY));
    }
    return Optional.empty();
  }

  /** Checks the files (blocking: call it before Vert.x starts or on a worker); each problem names its file. */
  public static ClusterTls load(MemberFiles files) {
    ClusterTls tls = new ClusterTls(files);
    String stamp = stampOf(files);
    List<String> problems = CertificateChecks.check(files.ca(), files.cert(), files.key(), Instant.now()).problems();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    tls.stamp = stamp;
    return tls;
  }

  public MemberFiles files() {
    return files;
  }

  /**
   * Mutual TLS with these files on {@code options}: TLS 1.3, a client certificate required, peers checked
   * against the CA (the event bus trusts every server certificate unless told otherwise). Vert.x copies event-bus
   * options through JSON, so the material is given as PEM paths, which survive the copy.
   */
  public EventBusOptions apply(EventBusOptions options) {
    options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false)
        .setKeyCertOptions(keyCert())
        .setTrustOptions(trust())
        .setEnabledSecureTransportProtocols(Set.of(TLS13));
    return options;
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(files.cert().toString()).setKeyPath(files.key().toString());
  }

  private PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(files.ca().toString());
  }

  /**
   * Checks the files again when their size or modification time changed and, when they pass, gives them to the
   * event bus for new connections. Completes with a line to log, or null when nothing changed; a change that
   * fails the checks is reported once and the certificates in use stay.
   */
  public Future<String> reloadIfChanged(Vertx vertx) {
    return vertx.executeBlocking(this::checkChange, false).compose(problems -> {
      if (problems == null) {
        return Future.succeededFuture(null);
      }
      if (!problems.isEmpty()) {
        return Future.succeededFuture("cluster TLS: the certificate files changed but fail the checks, still using "
            + "the previous ones: " + String.join("; ", problems));
      }
      return EventBusTls.update(vertx,
          new ServerSSLOptions().setClientAuth(ClientAuth.REQUIRED).setKeyCertOptions(keyCert())
              .setTrustOptions(trust()).setEnabledSecureTransportProtocols(Set.of(TLS13)),
          new ClientSSLOptions().setTrustAll(false).setHostnameVerificationAlgorithm("").setKeyCertOptions(keyCert())
              .setTrustOptions(trust()).setEnabledSecureTransportProtocols(Set.of(TLS13)))
          .map(v -> "cluster TLS: certificates reloaded from " + files.cert() + " and " + files.ca());
    });
  }

  /** Null when the files did not change, else the problems of the changed files (empty: they pass). */
  private List<String> checkChange() {
    String now = stampOf(files);
    if (now.equals(stamp) || now.equals(failedStamp)) {
      return null;
    }
    List<String> problems = CertificateChecks.check(files.ca(), files.cert(), files.key(), Instant.now()).problems();
    if (problems.isEmpty()) {
      stamp = now;
      failedStamp = null;
    } else {
      failedStamp = now;
    }
    return problems;
  }

  private static String stampOf(MemberFiles f) {
    StringBuilder sb = new StringBuilder();
    for (Path p : List.of(f.ca(), f.cert(), f.key())) {
      try {
        sb.append(Files.size(p)).append('/').append(Files.getLastModifiedTime(p)).append(';');
      } catch (IOException e) {
        sb.append("missing;");
      }
    }
    return sb.toString();
  }
}
