package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPS on the gateway's second traffic port: the same routing as HTTP, {@code X-Forwarded-Proto: https} to the
 * instance, plain HTTP redirected to it for the hosts the gateway serves only (ACME challenges excepted), the port advertised in Consul, a renewed certificate served without a restart, and a broken one
 * ignored.
 */
class TlsIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static Stack stack;
  static Vertx vertx;
  static Path dir;
  static int httpsPort;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("baton-tls-it");
    install(SelfSignedCertificate.create("first.example"));
    // An instance that answers with the request headers it received.
    int port = FreePorts.find();
    vertx.createHttpServer().requestHandler(req -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
      req.response().putHeader("Content-Type", "application/json").end(headers.encode());
    }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Stack.Instance echo = new Stack.Instance("shop", "1.0.0", port, "shop-1.0.0-it-" + port, null);
    stack.register(echo);
    // An app routed by host, with no instance: its host is served all the same (redirected before routing).
    stack.putSpec("api", "{\"instances\":1,\"routing\":{\"hosts\":[\"api.example.com\"],\"pathPrefix\":\"/\"}}");
    httpsPort = FreePorts.find();
    stack.startGateway(Map.of("BATON_HTTPS_PORT", String.valueOf(httpsPort),
        "BATON_TLS_CERT", dir.resolve("cert.pem").toString(), "BATON_TLS_KEY", dir.resolve("key.pem").toString(),
        "BATON_TLS_RELOAD_S", "1", "BATON_HTTPS_REDIRECT", "true", "BATON_HOSTS", "shop.example.com"));
    stack.awaitInstances("shop", List.of(echo.id()));
    Poll.until(Duration.ofSeconds(20), () -> stack.routes().encode().contains("api.example.com"),
        "the gateway read the spec of api");
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  /** Puts a certificate and key where the gateway reads them, each file replaced in one move. */
  static void install(SelfSignedCertificate c) throws Exception {
    Files.copy(Path.of(c.privateKeyPath()), dir.resolve("key.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(dir.resolve("key.tmp"), dir.resolve("key.pem"), StandardCopyOption.ATOMIC_MOVE);
    Files.copy(Path.of(c.certificatePath()), dir.resolve("cert.tmp"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(dir.resolve("cert.tmp"), dir.resolve("cert.pem"), StandardCopyOption.ATOMIC_MOVE);
  }

  record Answer(int status, JsonObject body, String certificateSubject) {
  }

  /** One request on a new TLS connection (the test trusts any certificate; it checks which one it got). */
  static Answer https(String path) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setKeepAlive(false));
    try {
      return client.request(HttpMethod.GET, httpsPort, "127.0.0.1", path)
          .compose(req -> req.send()
              .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toJsonObject(), subject(r)))))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  static String subject(HttpClientResponse r) {
    try {
      return ((X509Certificate) r.request().connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void httpsIsRoutedLikeHttpAndTheInstanceIsToldTheProtocol() throws Exception {
    Answer a = https("/orders?x=1");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().getString("x-forwarded-proto")).isEqualTo("https");
    assertThat(a.body().getString("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void plainHttpIsRedirectedToHttpsExceptAcmeChallenges() {
    Http.Reply get = stack.http.get(stack.url("/orders?x=1"), "Host", "shop.example.com:" + stack.gatewayPort);
    assertThat(get.status()).isEqualTo(301);
    assertThat(get.headers().get("location")).containsExactly("https://shop.example.com:" + httpsPort + "/orders?x=1");
    Http.Reply post = stack.http.send("POST", stack.url("/orders"), "{}", "Host", "shop.example.com");
    assertThat(post.status()).as("method and body kept").isEqualTo(308);
    assertThat(post.headers().get("location")).containsExactly("https://shop.example.com:" + httpsPort + "/orders");
    Http.Reply acme = stack.http.get(stack.url("/.well-known/acme-challenge/token-1"));
    assertThat(acme.status()).as("an ACME HTTP-01 challenge reaches the app over plain HTTP").isEqualTo(200);
    assertThat(acme.json().getString("x-forwarded-proto")).isEqualTo("http");
  }

  @Test
  void aRedirectWhoseBodyIsNotReadIsTheConnectionsLastResponse() {
    String raw = Http.raw(stack.gatewayPort, "POST /orders HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 2\r\n"
        + "\r\n{}GET /smuggled HTTP/1.1\r\nHost: shop.example.com\r\n\r\n", Duration.ofSeconds(5));
    assertThat(raw).as(raw).startsWith("HTTP/1.1 308").endsWith("<EOF>").doesNotContain("/smuggled");
  }

  @Test
  void everyHostTheGatewayServesIsRedirected() {
    Http.Reply own = stack.http.get(stack.url("/a"));
    assertThat(own.status()).as("its own address").isEqualTo(301);
    assertThat(own.headers().get("location")).containsExactly("https://127.0.0.1:" + httpsPort + "/a");
    Http.Reply spec = stack.http.get(stack.url("/b"), "Host", "API.example.com");
    assertThat(spec.status()).as("a host of an app spec").isEqualTo(301);
    assertThat(spec.headers().get("location")).containsExactly("https://API.example.com:" + httpsPort + "/b");
    String raw = Http.raw(stack.gatewayPort, "GET http://api.example.com/c HTTP/1.1\r\nHost: evil.example\r\n"
        + "Connection: close\r\n\r\n", Duration.ofSeconds(5));
    assertThat(Http.status(raw)).as(raw).isEqualTo(301);
    assertThat(raw.toLowerCase()).as("absolute-form: the target's host, not the Host header")
        .contains("location: https://api.example.com:" + httpsPort + "/c");
  }

  @Test
  void aHostTheGatewayDoesNotServeIsNotRedirectedButRouted() {
    for (String foreign : List.of("evil.example", "evil.example:443", "shop.example.com.evil.example")) {
      Http.Reply r = stack.http.get(stack.url("/login"), "Host", foreign);
      assertThat(r.status()).as("%s: the routing answer (shop routes any host), not a redirect", foreign).isEqualTo(200);
      assertThat(r.headers()).as(foreign).doesNotContainKey("location");
      assertThat(r.json().getString("host")).isEqualTo(foreign);
      assertThat(r.json().getString("x-forwarded-proto")).isEqualTo("http");
    }
  }

  @Test
  void theHttpsPortIsAdvertisedInConsul() {
    JsonObject service = new JsonObject(stack.http.get(CONSUL.httpAddress() + "/v1/agent/service/" + stack.gatewayId)
        .body());
    assertThat(service.getJsonObject("Meta").getString("https")).isEqualTo("127.0.0.1:" + httpsPort);
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    assertThat(https("/").certificateSubject()).contains("first.example");
    long pid = stack.gateway.pid();
    install(SelfSignedCertificate.create("renewed.example"));
    Poll.until(Duration.ofSeconds(15), () -> https("/").certificateSubject().contains("renewed.example"),
        "new connections get the renewed certificate");
    assertThat(stack.gateway.pid()).as("same gateway process").isEqualTo(pid);
    stack.gateway.awaitLog(Pattern.compile("TLS certificate reloaded"), Duration.ofSeconds(5));

    Files.writeString(dir.resolve("cert.tmp"), "not a certificate\n");
    Files.move(dir.resolve("cert.tmp"), dir.resolve("cert.pem"), StandardCopyOption.ATOMIC_MOVE);
    stack.gateway.awaitLog(Pattern.compile("does not load .*still serving the previous one"), Duration.ofSeconds(15));
    Answer after = https("/");
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.certificateSubject()).as("a broken renewal keeps the certificate in use").contains("renewed.example");
  }
}
