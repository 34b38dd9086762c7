package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an instance is told about the client, seen from the instance's side: relayed requests and their mirrored
 * copies, from an untrusted peer (127.0.0.1) and from a trusted proxy (127.0.0.2, {@code BATON_TRUSTED_PROXIES}).
 * Version 1.0.0 serves every request and 2.0.0 gets a copy of every one; both are {@link HeaderEcho}es.
 */
class ForwardedHeadersIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final String UNTRUSTED = "127.0.0.1";
  static final String TRUSTED = "127.0.0.2";
  /** Every header a client could forge to pass for a proxy, or to reach past the gateway. */
  static final String FORGED = "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: bank.example\r\n"
      + "X-Forwarded-Port: 443\r\nX-Forwarded-Prefix: /admin\r\nForwarded: for=6.6.6.6;proto=https\r\n"
      + "X-Real-IP: 6.6.6.6\r\nTrue-Client-IP: 6.6.6.6\r\nX-Forwarded-Ssl: on\r\nClient-IP: 6.6.6.6\r\n"
      + "Connection: close, X-Secret\r\nX-Secret: s3cret\r\nKeep-Alive: timeout=5\r\n"
      + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Baton-Mirror: 1\r\n";
  static final List<String> FROM_PROXIES_ONLY = List.of("x-forwarded-port", "x-forwarded-prefix", "forwarded",
      "x-real-ip", "true-client-ip", "x-forwarded-ssl", "client-ip");
  static final List<String> HOP_BY_HOP = List.of("x-secret", "keep-alive", "proxy-authorization");

  static Stack stack;
  static Vertx vertx;
  static HeaderEcho serving;
  static HeaderEcho mirror;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(CONSUL);
    vertx = Vertx.vertx();
    serving = new HeaderEcho(vertx, FreePorts.find());
    mirror = new HeaderEcho(vertx, FreePorts.find());
    Stack.Instance one = new Stack.Instance("fwd", "1.0.0", serving.port, "fwd-1.0.0-it-" + serving.port, null);
    Stack.Instance two = new Stack.Instance("fwd", "2.0.0", mirror.port, "fwd-2.0.0-it-" + mirror.port, null);
    stack.register(one);
    stack.register(two);
    stack.putPolicy("fwd", "{\"app\":\"fwd\",\"revision\":1,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],"
        + "\"mirror\":{\"version\":\"2.0.0\",\"percent\":100}}");
    stack.startGateway(Map.of("BATON_TRUSTED_PROXIES", TRUSTED + "/32"));
    stack.awaitInstances("fwd", List.of(one.id(), two.id()));
    stack.awaitRevision("fwd", 1);
  }

  @AfterAll
  static void stop() throws Exception {
    Stack.close(stack, vertx);
  }

  /** Sends {@code request} from {@code peer}; returns the headers the serving instance answered with. */
  static JsonObject relayed(String peer, String request) {
    String raw = Http.rawFrom(peer, stack.gatewayPort, request, Duration.ofSeconds(10));
    assertThat(Http.status(raw)).as(raw).isEqualTo(200);
    assertThat(raw).contains("X-Baton-Version: 1.0.0");
    return new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4, raw.lastIndexOf('<')));
  }

  /** The headers the mirror version's instance received for request {@code id}, once it has. */
  static JsonObject mirrored(String id) {
    String url = "http://127.0.0.1:" + mirror.port + "/__seen/" + id;
    Poll.until(Duration.ofSeconds(10), () -> stack.http.get(url).status() == 200, "the mirror received " + id);
    return stack.http.get(url).json();
  }

  static void onlyWhatTheSocketSays(JsonObject seen, String what) {
    assertThat(seen.fieldNames()).as(what).doesNotContainAnyElementsOf(FROM_PROXIES_ONLY)
        .doesNotContainAnyElementsOf(HOP_BY_HOP);
    assertThat(seen.getString("x-forwarded-for")).as(what).isEqualTo(UNTRUSTED);
    assertThat(seen.getString("x-forwarded-proto")).as(what).isEqualTo("http");
    assertThat(seen.getString("x-forwarded-host")).as(what).isEqualTo("shop.example.com");
    assertThat(seen.getString("host")).as(what).isEqualTo("shop.example.com");
  }

  @Test
  void fromAnUntrustedPeerRelayedAndMirroredRequestsCarryOnlyWhatTheSocketSays() {
    JsonObject relayed = relayed(UNTRUSTED, "GET /a HTTP/1.1\r\nHost: shop.example.com\r\nX-Request-Id: u-get\r\n"
        + FORGED + "\r\n");
    onlyWhatTheSocketSays(relayed, "relayed");
    assertThat(relayed.fieldNames()).as("the client cannot pass for shadow traffic").doesNotContain("x-baton-mirror");
    JsonObject copy = mirrored("u-get");
    onlyWhatTheSocketSays(copy, "mirrored");
    assertThat(copy.getString("x-baton-mirror")).isEqualTo("1");
    assertThat(copy.getString("x-request-id")).isEqualTo("u-get");
  }

  @Test
  void aMirroredRequestWithABodyIsCleanedLikeTheRelayedOne() {
    JsonObject relayed = relayed(UNTRUSTED, "POST /orders HTTP/1.1\r\nHost: shop.example.com\r\nX-Request-Id: u-post\r\n"
        + "Content-Type: application/json\r\nContent-Length: 11\r\n" + FORGED + "\r\n{\"item\":42}");
    onlyWhatTheSocketSays(relayed, "relayed");
    JsonObject copy = mirrored("u-post");
    onlyWhatTheSocketSays(copy, "mirrored");
    assertThat(copy.getString("content-length")).isEqualTo("11");
  }

  @Test
  void fromATrustedProxyTheChainIsKeptAndExtendedOnBothPaths() {
    String request = "GET /b HTTP/1.1\r\nHost: shop.example.com\r\nX-Request-Id: t-get\r\n" + FORGED + "\r\n";
    JsonObject relayed = relayed(TRUSTED, request);
    for (JsonObject seen : List.of(relayed, mirrored("t-get"))) {
      assertThat(seen.getString("x-forwarded-for")).isEqualTo("6.6.6.6, " + TRUSTED);
      assertThat(seen.getString("x-forwarded-proto")).isEqualTo("https");
      assertThat(seen.getString("x-forwarded-host")).isEqualTo("bank.example");
      assertThat(seen.getString("forwarded")).isEqualTo("for=6.6.6.6;proto=https, for=" + TRUSTED);
      assertThat(seen.getString("x-real-ip")).isEqualTo("6.6.6.6");
      assertThat(seen.getString("true-client-ip")).isEqualTo("6.6.6.6");
      assertThat(seen.getString("x-forwarded-port")).isEqualTo("443");
      assertThat(seen.getString("x-forwarded-prefix")).isEqualTo("/admin");
      assertThat(seen.fieldNames()).as("hop-by-hop fields go whoever sends them").doesNotContainAnyElementsOf(HOP_BY_HOP);
    }
    assertThat(relayed.fieldNames()).doesNotContain("x-baton-mirror");
  }
}
