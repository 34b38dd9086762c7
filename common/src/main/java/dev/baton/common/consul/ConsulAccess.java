package dev.baton.common.consul;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.tls.Pem;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.consul.ConsulClientOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a service reaches Consul (docs/consul.md): address, HTTPS with a CA and an optional client
 * certificate, and the ACL token. Every Consul client of baton is built from one of these — the
 * vertx-consul-client through {@link #clientOptions()}, the hand-written HTTP clients through
 * {@link #httpClientOptions()} / {@link #webClientOptions()} plus {@link #headers()} — so no client can
 * forget the token or the CA. {@link #toString()} never shows the token.
 *
 * @param caFile     PEM CA that signed Consul's HTTPS certificate; null trusts the JVM's default CAs
 * @param clientCert PEM client certificate for a Consul with {@code verify_incoming}; null for none
 * @param token      the ACL token; null sends none (Consul's anonymous token)
 */
public record ConsulAccess(String host, int port, boolean tls, String caFile, String clientCert, String clientKey,
                           String token) {

  public static final String TOKEN_HEADER = "X-Consul-Token";
  public static final String TOKEN = "BATON_CONSUL_TOKEN";
  public static final String TLS = "BATON_CONSUL_TLS";
  public static final String CA = "BATON_CONSUL_CA";
  public static final String CLIENT_CERT = "BATON_CONSUL_CLIENT_CERT";
  public static final String CLIENT_KEY = "BATON_CONSUL_CLIENT_KEY";
  /** Consul's own CLI variable, read when {@link #TOKEN} is not set (see ConfigLoader). */
  public static final String CONSUL_CLI_TOKEN = "CONSUL_HTTP_TOKEN";
  /** Consul's HTTPS port, the default port when TLS is on and {@code BATON_CONSUL_PORT} is not set. */
  public static final int DEFAULT_HTTPS_PORT = 8501;

  /**
   * The access {@code config} describes, without touching files (see {@link #checkFiles()}). A CA or a client
   * certificate implies TLS; {@code BATON_CONSUL_TLS=false} with either is a contradiction.
   *
   * @throws ConfigException naming every bad key
   */
  public static ConsulAccess from(BatonConfig config) {
    List<String> problems = new ArrayList<>();
    String rawToken = config.settings().get(TOKEN);
    if (rawToken != null && rawToken.isBlank()) {
      problems.add(TOKEN + ": must not be blank (unset it, and " + CONSUL_CLI_TOKEN + ", to send no token)");
    }
    String token = rawToken == null || rawToken.isBlank() ? null : rawToken.trim();
    if (token != null && !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      problems.add(TOKEN + ": must be printable ASCII without spaces (a Consul token is a UUID)");
    }
    String ca = path(config, CA);
    String cert = path(config, CLIENT_CERT);
    String key = path(config, CLIENT_KEY);
    if ((cert == null) != (key == null)) {
      problems.add((cert == null ? CLIENT_CERT : CLIENT_KEY) + ": must be set together with "
          + (cert == null ? CLIENT_KEY : CLIENT_CERT) + " (a client certificate needs its key)");
    }
    boolean implied = ca != null || cert != null;
    boolean tls = implied;
    String rawTls = config.settings().get(TLS);
    if (rawTls != null && !rawTls.isBlank()) {
      try {
        tls = config.boolSetting(TLS, implied);
        if (!tls && implied) {
          problems.add(TLS + ": is false but " + (ca != null ? CA : CLIENT_CERT)
              + " is set; a CA or client certificate means HTTPS (unset " + TLS + " or the file)");
        }
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    String explicitPort = config.settings().get("BATON_CONSUL_PORT");
    int port = tls && (explicitPort == null || explicitPort.isBlank()) ? DEFAULT_HTTPS_PORT : config.consulPort();
    return new ConsulAccess(config.consulHost(), port, tls, ca, cert, key, token);
  }

  private static String path(BatonConfig config, String key) {
    String v = config.settings().get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * Checks that the CA and the client certificate hold PEM certificates and that the key is readable, so a
   * service refuses to start (exit 2) rather than fail on its first request.
   *
   * @return this
   * @throws ConfigException naming the key of each bad file
   */
  public ConsulAccess checkFiles() {
    List<String> problems = new ArrayList<>();
    check(CA, caFile, "is not a PEM certificate", Pem::certificates, problems);
    check(CLIENT_CERT, clientCert, "is not a PEM certificate", Pem::certificates, problems);
    check(CLIENT_KEY, clientKey, "holds no PEM private key", Pem::privateKey, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return this;
  }

  private interface PemReader {
    Object read(Path file) throws IOException;
  }

  /** Reads {@code file} (the value of {@code key}) with the cluster certificates' own PEM reader. */
  private static void check(String key, String file, String notPem, PemReader reader, List<String> problems) {
    if (file == null) {
      return;
    }
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      problems.add(key + ": cannot read '" + file + "' (" + (Files.exists(path) ? "permissions" : "no such file") + ")");
      return;
    }
    try {
      reader.read(path);
    } catch (IOException e) {
      problems.add(key + ": '" + file + "' " + notPem + " (" + e.getMessage() + ")");
    }
  }

  /** Options for vertx-consul-client: address, TLS and the ACL token. */
  public ConsulClientOptions clientOptions() {
    return tls(new ConsulClientOptions().setHost(host).setPort(port).setAclToken(token));
  }

  /** Options for a Vert.x {@code HttpClient} that talks to Consul (TLS only; send {@link #headers()} too). */
  public HttpClientOptions httpClientOptions() {
    return tls(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port));
  }

  /** Options for a Vert.x {@code WebClient} that talks to Consul (TLS only; send {@link #headers()} too). */
  public WebClientOptions webClientOptions() {
    return tls(new WebClientOptions().setDefaultHost(host).setDefaultPort(port));
  }

  private <T extends HttpClientOptions> T tls(T o) {
    if (tls) {
      o.setSsl(true);
      if (caFile != null) {
        o.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
      }
      if (clientCert != null) {
        o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCert).setKeyPath(clientKey));
      }
    }
    return o;
  }

  /** The headers of every hand-written request: the ACL token, when there is one. */
  public MultiMap headers() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (token != null) {
      h.set(TOKEN_HEADER, token);
    }
    return h;
  }

  /** {@code https://host:port}, for messages. */
  public String address() {
    return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * {@code cause}, or a {@link ConsulRefusedException} whose message says which key to fix when Consul refused
   * the token, or the HTTPS handshake failed (see {@link ConsulRefusal}).
   */
  public Throwable explain(Throwable cause) {
    if (cause instanceof ConsulRefusedException) {
      return cause;
    }
    return ConsulRefusal.describe(ConsulRefusal.text(cause), token != null, tls)
        .<Throwable>map(m -> new ConsulRefusedException("Consul at " + address() + " refused baton: " + m, cause))
        .orElse(cause);
  }

  @Override
  public String toString() {
    return "ConsulAccess[" + address() + (caFile != null ? ", ca " + caFile : "")
        + (clientCert != null ? ", client certificate " + clientCert : "")
        + ", token " + (token == null ? "none" : "set") + "]";
  }
}
