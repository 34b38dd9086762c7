package dev.baton.common.cluster;

import dev.baton.common.tls.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A raw TLS client for tests: which certificate does an event-bus port serve, and does it let a client in. */
final class TlsProbe {

  private TlsProbe() {
  }

  static BigInteger servedSerial(String host, int port, Path ca, List<Path> client) throws Exception {
    try (SSLSocket s = (SSLSocket) context(ca, client).getSocketFactory().createSocket(host, port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  static BigInteger servedSerialQuietly(String host, int port, Path ca, List<Path> client) {
    try {
      return servedSerial(host, port, ca, client);
    } catch (Exception e) {
      return null;
    }
  }

  /** True when a client that presents no certificate cannot complete a TLS 1.3 exchange with the port. */
  static boolean handshakeFails(String host, int port, Path ca) throws Exception {
    try (SSLSocket s = (SSLSocket) context(ca, null).getSocketFactory().createSocket(host, port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      // TLS 1.3: the server's refusal of a missing client certificate arrives with the first read
      s.getOutputStream().write(new byte[] {0, 0, 0, 1, 0});
      s.getOutputStream().flush();
      return s.getInputStream().read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private static SSLContext context(Path ca, List<Path> client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.certificates(ca).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("me", Pem.privateKey(client.get(1)), new char[0],
          Pem.certificates(client.get(0)).toArray(new X509Certificate[0]));
      kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
