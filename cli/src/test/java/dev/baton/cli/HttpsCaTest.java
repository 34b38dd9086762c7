package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.baton.common.tls.Pem;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca}: a registry behind a TLS-terminating proxy with a private CA (SECURITY.md). The TLS endpoint is the
 * JDK's HttpsServer with a certificate from {@code baton certs}; what is under test is the CLI's trust, not the API.
 */
class HttpsCaTest {

  @TempDir
  Path dir;

  private HttpsServer server;
  private String url;

  @BeforeEach
  void tlsEndpoint() throws Exception {
    assertThat(BatonCli.run("certs", "init", dir.toString())).isZero();
    assertThat(BatonCli.run("certs", "issue", dir.toString(), "proxy", "--host", "127.0.0.1")).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("proxy", Pem.privateKey(dir.resolve("proxy-key.pem")), new char[0],
        Pem.certificates(dir.resolve("proxy.pem")).toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/v1/apps", exchange -> {
      byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aPrivateCaIsTrustedOnlyWhenGiven() throws Exception {
    Path config = dir.resolve("config.yaml");
    Cli without = Cli.run(config, "--registry", url, "apps");
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.err()).startsWith("baton: cannot reach the registry at " + url + " (TLS: ")
        .contains("pass --ca FILE");

    Cli with = Cli.run(config, "--registry", url, "--ca", dir.resolve("ca.pem").toString(), "apps");
    assertThat(with.code()).as(with.err()).isZero();
    assertThat(with.out()).contains("no apps yet");

    Cli.run(config, "context", "add", "tls", "--registry", url, "--ca", dir.resolve("ca.pem").toString());
    assertThat(Cli.run(config, "apps").code()).isZero();

    Path notPem = Files.writeString(dir.resolve("x.pem"), "not a certificate");
    Cli bad = Cli.run(config, "--registry", url, "--ca", notPem.toString(), "apps");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("x.pem");
  }
}
