package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.AgentAction;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.bus.DrainAck;
import dev.baton.common.bus.DrainRequest;
import dev.baton.common.consul.ServiceNames;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Given a real Consul and a real agent process, when instances are started, stopped and killed, then ... */
class AgentLifecycleIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static AgentFixture fx;

  @BeforeAll
  static void startAgent() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of());
    fx.startAgent();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void startedInstanceIsHealthyAndPassingInConsulWithVersionTagAndMeta() throws Exception {
    JsonObject instance = fx.startHealthy("shop", "1.0.0");
    String id = instance.getString("id");
    int port = instance.getInteger("port");

    assertThat(instance.getString("state")).isEqualTo("HEALTHY");
    assertThat(id).isEqualTo(ServiceNames.instanceId("shop", "1.0.0", fx.agentId, port));
    assertThat(port).isBetween(fx.rangeFirst(), fx.rangeLast());
    assertThat(AgentFixture.alive(instance.getLong("pid"))).isTrue();

    JsonArray passing = fx.passing("shop");
    assertThat(passing).hasSize(1);
    JsonObject service = passing.getJsonObject(0).getJsonObject("Service");
    assertThat(service.getString("ID")).isEqualTo(id);
    assertThat(service.getJsonArray("Tags").getList()).containsExactly("baton", "version=1.0.0");
    assertThat(service.getJsonObject("Meta").getMap()).containsEntry("version", "1.0.0")
        .containsEntry("agent", fx.agentId).containsEntry("sha256", AgentFixture.sha256("1.0.0"))
        .containsKey("release");
    assertThat(service.getInteger("Port")).isEqualTo(port);

    String root = fx.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(new JsonObject(root).getString("version")).isEqualTo("1.0.0");
    assertThat(new JsonObject(root).getString("instance")).isEqualTo(id);
    fx.awaitEvent(id, "instance.registered", 1);
    assertThat(fx.kindsOf(id)).containsSubsequence("instance.starting", "instance.healthy", "instance.registered");

    assertThat(fx.get("/v1/instances/" + id).json().getString("state")).isEqualTo("HEALTHY");
    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void stopDeregistersBeforeSigtermAndWaitsForTheGatewayToFinishInFlightRequests() throws Exception {
    JsonObject instance = fx.startHealthy("drainapp", "2.0.0");
    String id = instance.getString("id");
    int port = instance.getInteger("port");
    // This test JVM plays a live gateway: registered in Consul, it acks the drain only once its request is done.
    String gateway = "it-gateway-" + fx.agentId;
    fx.consulPut("/v1/agent/service/register", new JsonObject().put("ID", gateway).put("Name", ServiceNames.GATEWAY));
    CompletableFuture<HttpResponse<String>> slow = fx.http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ms=2500")).build(),
        HttpResponse.BodyHandlers.ofString());
    Poll.until(AgentFixture.WAIT, () -> Files.readString(fx.instanceLog(id)).contains("slow request started"),
        "the /slow request to be in flight");
    MessageConsumer<JsonObject> drains = fx.vertx.eventBus().consumer(Addresses.GATEWAY_DRAIN, msg -> {
      DrainRequest req = DrainRequest.fromJson(msg.body());
      if (req.instanceId().equals(id)) {
        slow.whenComplete((r, e) -> fx.vertx.eventBus().send(req.replyTo(),
            new DrainAck(gateway, id, e == null, e == null ? 0 : 1, "done").toJson()));
      }
    });
    AgentFixture.await(drains.completion());
    try {
      AgentFixture.Reply stopped = fx.delete("/v1/instances/" + id + "?wait=stopped");

      assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
      assertThat(stopped.json().getString("state")).isEqualTo("STOPPED");
      HttpResponse<String> inFlight = slow.get(5, TimeUnit.SECONDS);
      assertThat(inFlight.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(inFlight.body()).getString("version")).isEqualTo("2.0.0");
      fx.awaitEvent(id, "instance.stopped", 1);
      assertThat(fx.kindsOf(id)).containsSubsequence("instance.registered", "instance.deregistered",
          "instance.draining", "instance.drained", "instance.sigterm", "instance.stopped");
      BatonEvent drained = fx.awaitEvent(id, "instance.drained", 1);
      assertThat(drained.data().getJsonArray("acked").getList()).containsExactly(gateway);
      assertThat(fx.passing("drainapp")).isEmpty();
      assertThat(fx.localServices().containsKey(id)).isFalse();
      Poll.until(AgentFixture.WAIT, () -> !AgentFixture.alive(instance.getLong("pid")), "the instance to exit");
    } finally {
      AgentFixture.await(drains.unregister());
      fx.consulPut("/v1/agent/service/deregister/" + gateway, null);
    }
  }

  @Test
  void killedInstanceIsDeregisteredRestartedAndRegisteredAgainOnce() throws Exception {
    JsonObject instance = fx.startHealthy("crashy", "1.0.0");
    String id = instance.getString("id");
    long firstPid = instance.getLong("pid");

    AgentFixture.kill9(firstPid);

    BatonEvent crashed = fx.awaitEvent(id, "instance.crashed", 1);
    assertThat(crashed.message()).contains("137");
    fx.awaitEvent(id, "instance.restarting", 1);
    fx.awaitEvent(id, "instance.registered", 2);
    List<String> afterCrash = fx.kindsOf(id).subList(fx.kindsOf(id).indexOf("instance.crashed"), fx.kindsOf(id).size());
    assertThat(afterCrash).containsSubsequence("instance.crashed", "instance.deregistered", "instance.restarting",
        "instance.starting", "instance.healthy", "instance.registered");
    assertThat(afterCrash).filteredOn("instance.registered"::equals).hasSize(1);

    JsonObject now = fx.get("/v1/instances/" + id).json();
    assertThat(now.getString("state")).isEqualTo("HEALTHY");
    assertThat(now.getLong("pid")).isNotEqualTo(firstPid);
    assertThat(AgentFixture.alive(now.getLong("pid"))).isTrue();
    JsonArray passing = Poll.value(AgentFixture.WAIT, () -> {
      JsonArray p = fx.passing("crashy");
      return p.size() == 1 ? p : null;
    }, "the restarted instance to pass in Consul");
    assertThat(passing.getJsonObject(0).getJsonObject("Service").getString("ID")).isEqualTo(id);

    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void twoVersionsOfOneAppRunSideBySideAndTheEventBusServesTheSameCommands() throws Exception {
    JsonObject v1 = fx.startHealthy("duo", "1.0.0");
    var reply = AgentFixture.await(fx.vertx.eventBus().<JsonObject>request(Addresses.agent(fx.agentId),
        fx.startRequest("duo", "2.0.0"), new DeliveryOptions().setSendTimeout(60_000)
            .addHeader(Addresses.ACTION_HEADER, AgentAction.START.header())));
    JsonObject v2 = reply.body();

    assertThat(v2.getString("state")).isEqualTo("HEALTHY");
    assertThat(v2.getInteger("port")).isNotEqualTo(v1.getInteger("port"));
    assertThat(fx.passing("duo")).extracting(e -> ((JsonObject) e).getJsonObject("Service").getJsonObject("Meta")
        .getString("version")).containsExactlyInAnyOrder("1.0.0", "2.0.0");

    JsonObject listed = AgentFixture.await(fx.vertx.eventBus().<JsonObject>request(Addresses.agent(fx.agentId),
        new JsonObject(), new DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "list"))).body();
    assertThat(listed.getJsonArray("instances").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains(v1.getString("id"), v2.getString("id"));

    var unknown = fx.vertx.eventBus().request(Addresses.agent(fx.agentId), new JsonObject().put("id", "nope"),
        new DeliveryOptions().addHeader(Addresses.ACTION_HEADER, "get"));
    Throwable failure = Poll.value(AgentFixture.WAIT, unknown::cause, "the GET of an unknown id to fail");
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(404);
    assertThat(new JsonObject(failure.getMessage()).getString("error")).isEqualTo("not_found");

    JsonObject stopped = AgentFixture.await(fx.vertx.eventBus().<JsonObject>request(Addresses.agent(fx.agentId),
        new JsonObject().put("id", v2.getString("id")), new DeliveryOptions().setSendTimeout(60_000)
            .addHeader(Addresses.ACTION_HEADER, AgentAction.STOP.header()))).body();
    assertThat(stopped.getString("state")).isEqualTo("STOPPED");
    assertThat(fx.delete("/v1/instances/" + v1.getString("id") + "?wait=stopped").status()).isEqualTo(200);
    assertThat(fx.passing("duo")).isEmpty();
  }

  @Test
  void anInstanceReportingAnotherVersionFailsIsKilledAndNeverRegistered() throws Exception {
    JsonObject request = fx.startRequest("liar", "2.0.0");
    request.getJsonObject("artifact").put("url", fx.artifactUrl("1.0.0")).put("sha256", AgentFixture.sha256("1.0.0"));

    AgentFixture.Reply reply = fx.post("/v1/instances?wait=healthy", request.encode());

    assertThat(reply.status()).as(reply.body()).isEqualTo(502);
    assertThat(reply.json().getString("error")).isEqualTo("instance_failed");
    assertThat(reply.json().getString("message")).contains("reported version 1.0.0, expected 2.0.0");
    JsonObject failed = fx.get("/v1/instances").array().stream().map(JsonObject.class::cast)
        .filter(i -> i.getString("app").equals("liar")).findFirst().orElseThrow();
    assertThat(failed.getString("state")).isEqualTo("FAILED");
    Poll.until(AgentFixture.WAIT, () -> !AgentFixture.alive(failed.getLong("pid")), "the liar to be killed");
    assertThat(fx.passing("liar")).isEmpty();
    fx.awaitEvent(failed.getString("id"), "instance.failed", 1);
    assertThat(fx.kindsOf(failed.getString("id"))).doesNotContain("instance.registered");
  }
}
