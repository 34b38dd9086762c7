package dev.baton.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HttpClients that trust the JDK's CAs, or only the CA certificates of a PEM file ({@code --ca}). */
final class Tls {

  private Tls() {
  }

  static HttpClient client(Path ca, Duration connectTimeout) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
    if (ca != null) {
      b.sslContext(trusting(ca));
    }
    return b.build();
  }

  /**
   * A client for http:// URLs only. HttpClient builds an SSLContext even when it never speaks TLS, and the default
   * one loads the JDK's trust store; this one trusts nothing (an https:// URL never goes through this client).
   */
  static HttpClient plainClient(Duration connectTimeout) {
    try {
      SSLContext none = SSLContext.getInstance("TLS");
      none.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
      return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER).sslContext(none).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw CliException.usage("the CA file " + caFile + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw CliException.usage("cannot read the CA file " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw CliException.usage("the CA file " + caFile + " is not a PEM certificate: " + e.getMessage());
    }
  }
}
