package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad input gets its 4xx JSON error, and nothing is started, leaked or changed in Consul. */
class AgentRejectsBadInputIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static AgentFixture fx;
  private JsonObject servicesBefore;
  private String instancesBefore;

  @BeforeAll
  static void startAgent() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of());
    fx.env.put("BATON_REGISTRY_URL", fx.registryUrl());
    fx.env.put("BATON_REGISTRY_TOKEN", AgentFixture.REGISTRY_TOKEN);
    fx.startAgent();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void snapshot() throws Exception {
    servicesBefore = fx.localServices();
    instancesBefore = fx.get("/v1/instances").body();
  }

  private void assertRejected(AgentFixture.Reply reply, int status, String error) throws Exception {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().getString("error")).isEqualTo(error);
    assertThat(reply.json().getString("message")).isNotBlank();
    assertThat(fx.instancePids()).as("no instance process").isEmpty();
    assertThat(fx.get("/v1/instances").body()).isEqualTo(instancesBefore);
    assertThat(fx.localServices()).isEqualTo(servicesBefore);
  }

  private AgentFixture.Reply start(JsonObject body) throws Exception {
    return fx.post("/v1/instances?wait=healthy", body.encode());
  }

  @Test
  void aShaMismatchIs422AndNothingRuns() throws Exception {
    JsonObject body = fx.startRequest("shop", "1.0.0");
    body.getJsonObject("artifact").put("sha256", AgentFixture.sha256("2.0.0"));

    AgentFixture.Reply reply = start(body);

    assertRejected(reply, 422, "sha256_mismatch");
    assertThat(reply.json().getString("message")).contains(AgentFixture.sha256("1.0.0"));
  }

  @Test
  void badAppNamesAndVersionsAre400() throws Exception {
    for (String app : List.of("Shop", "-shop", "shop_1", "a".repeat(64), "")) {
      assertRejected(start(fx.startRequest("x", "1.0.0").put("app", app)), 400, "invalid_request");
    }
    for (String version : List.of("1.0.0/evil", " 1", "-1", "v".repeat(65))) {
      assertRejected(start(fx.startRequest("shop", "1.0.0").put("version", version)), 400, "invalid_request");
    }
  }

  @Test
  void aMisspeltFieldIs400NamingTheNearestOne() throws Exception {
    JsonObject body = fx.startRequest("shop", "1.0.0");
    body.put("helthPath", "/ready");
    AgentFixture.Reply reply = start(body);
    assertRejected(reply, 400, "invalid_request");
    assertThat(reply.json().getString("message")).contains("unknown field \"helthPath\" in the body; did you mean \"healthPath\"?");
  }

  @Test
  void aMissingOrMalformedSha256Is400() throws Exception {
    JsonObject missing = fx.startRequest("shop", "1.0.0");
    missing.getJsonObject("artifact").remove("sha256");
    assertRejected(start(missing), 400, "invalid_request");
    JsonObject shortSha = fx.startRequest("shop", "1.0.0");
    shortSha.getJsonObject("artifact").put("sha256", "abc");
    assertRejected(start(shortSha), 400, "invalid_request");
  }

  @Test
  void aPortOutsideTheRangeIs400AndABusyPortIs409() throws Exception {
    assertRejected(start(fx.startRequest("shop", "1.0.0").put("port", fx.rangeFirst() - 1)), 400, "port_out_of_range");
    assertRejected(start(fx.startRequest("shop", "1.0.0").put("port", 80)), 400, "port_out_of_range");
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress("127.0.0.1", fx.rangeLast()));
      assertRejected(start(fx.startRequest("shop", "1.0.0").put("port", fx.rangeLast())), 409, "port_in_use");
    }
  }

  @Test
  void malformedEmptyOrOversizedJsonIsRejected() throws Exception {
    assertRejected(fx.post("/v1/instances", "{\"app\": "), 400, "malformed_json");
    assertRejected(fx.post("/v1/instances", "[1, 2]"), 400, "malformed_json");
    assertRejected(fx.post("/v1/instances", ""), 400, "malformed_json");
    assertRejected(fx.post("/v1/instances", "{\"app\": \"" + "a".repeat(70_000) + "\"}"), 413, "body_too_large");
    assertRejected(fx.post("/v1/instances?wait=forever", fx.startRequest("shop", "1.0.0").encode()), 400,
        "invalid_request");
  }

  @Test
  void anUnknownInstanceIs404() throws Exception {
    assertRejected(fx.get("/v1/instances/shop-1.0.0-nobody-1"), 404, "not_found");
    assertRejected(fx.delete("/v1/instances/shop-1.0.0-nobody-1"), 404, "not_found");
    assertRejected(fx.delete("/v1/instances/shop-1.0.0-nobody-1?wait=stopped"), 404, "not_found");
  }

  @Test
  void aMissingOrWrongTokenIs401EvenWithAValidBody() throws Exception {
    String body = fx.startRequest("shop", "1.0.0").encode();
    assertRejected(fx.call("POST", "/v1/instances", body, null), 401, "unauthorized");
    assertRejected(fx.call("POST", "/v1/instances", body, "wrong"), 401, "unauthorized");
    assertRejected(fx.call("GET", "/v1/instances", null, AgentFixture.TOKEN + "x"), 401, "unauthorized");
    assertRejected(fx.call("DELETE", "/v1/instances/x", null, null), 401, "unauthorized");
    assertThat(fx.call("GET", "/v1/health", null, null).json().getString("status")).isEqualTo("UP");
  }

  @Test
  void theReadTokenListsGetsAndScrapesButCannotStartOrStop() throws Exception {
    String body = fx.startRequest("shop", "1.0.0").encode();
    assertThat(fx.call("GET", "/v1/instances", null, AgentFixture.READ_TOKEN).status()).isEqualTo(200);
    assertThat(fx.call("GET", "/metrics", null, AgentFixture.READ_TOKEN).status()).isEqualTo(200);
    assertRejected(fx.call("GET", "/v1/instances/shop-1.0.0-nobody-1", null, AgentFixture.READ_TOKEN), 404, "not_found");
    assertRejected(fx.call("POST", "/v1/instances", body, AgentFixture.READ_TOKEN), 403, "forbidden");
    assertRejected(fx.call("DELETE", "/v1/instances/x", null, AgentFixture.READ_TOKEN), 403, "forbidden");
  }

  @Test
  void theRegistryTokenGoesWithDownloadsFromTheRegistryAndNowhereElse() throws Exception {
    fx.artifactRequests.clear();
    JsonObject fromRegistry = fx.startRequest("shop", "1.0.0");
    fromRegistry.getJsonObject("artifact").put("url", fx.registryUrl() + "/sample-app-1.0.0.jar")
        .put("sha256", AgentFixture.sha256("2.0.0"));
    // The stand-in registry serves only with the token: a sha mismatch (not a 401) proves the token went along.
    assertRejected(start(fromRegistry), 422, "sha256_mismatch");
    JsonObject elsewhere = fx.startRequest("shop", "1.0.0");
    elsewhere.getJsonObject("artifact").put("sha256", AgentFixture.sha256("2.0.0"));
    assertRejected(start(elsewhere), 422, "sha256_mismatch");
    assertThat(fx.artifactRequests).containsExactly(
        "/registry/sample-app-1.0.0.jar Bearer " + AgentFixture.REGISTRY_TOKEN,
        "/sample-app-1.0.0.jar -");
  }

  @Test
  void metricsAreExposedForPrometheusWithAToken() throws Exception {
    assertRejected(fx.call("GET", "/metrics", null, null), 401, "unauthorized");
    AgentFixture.Reply metrics = fx.call("GET", "/metrics", null, AgentFixture.TOKEN);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("baton_agent_instances{state=\"HEALTHY\"}")
        .contains("baton_agent_instance_starts_total");
  }
}
