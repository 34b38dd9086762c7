package dev.baton.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.DrainRequest;
import dev.baton.common.bus.RoutesApplied;
import dev.baton.common.bus.VersionMetrics;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.e2e.fixtures.Given;
import dev.baton.e2e.stack.StackUnderTest;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rogue member (SECURITY.md): a clustered Vert.x node that knows the cluster's name and members and joins its
 * Hazelcast cluster, but has no certificate of the cluster CA. Against the whole stack, with a canary paused at
 * its first step, it tries what an attacker on the network would: start an instance with a shell command on an
 * agent, publish a drain of a serving instance, forge a gateway's route acknowledgement and a metrics message
 * saying the canary fails, and listen on every baton address. Nothing starts, nothing drains, no release step
 * moves, it hears nothing, and every service keeps serving.
 */
class RogueMemberIT {

  private static final String APP = "shop";
  private static Stack stack;
  private static Vertx vertx;
  private static Vertx rogue;

  @BeforeAll
  static void startTheStackWithAPausedCanary() throws Exception {
    stack = StackUnderTest.start();
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0", "2.0.0").app(2, Map.of()).serving("1.0.0");
    int port = FreePorts.find();
    Map<String, String> env = Map.of("BATON_CLUSTER_INSECURE", "true", "BATON_CLUSTER_NAME", stack.clusterName(),
        "BATON_CLUSTER_PORT", String.valueOf(port), "BATON_CLUSTER_MEMBERS", stack.clusterMembers() + ",127.0.0.1:" + port,
        "BATON_ID", "rogue");
    rogue = ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.AGENT, null, env, "rogue"))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx v : new Vertx[] {rogue, vertx}) {
      if (v != null) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aMemberWithoutACertificateCommandsNothingAndHearsNothing() throws Exception {
    JsonObject release = stack.registry().http().post("/v1/apps/" + APP + "/releases", new JsonObject()
            .put("version", "2.0.0").put("strategy", new JsonObject("{\"type\": \"canary\", \"steps\": "
                + "[{\"weight\": 50, \"pause\": \"manual\"}, {\"weight\": 100}]}")))
        .ok("canary 2.0.0").json();
    String releaseId = release.getString("id");
    JsonObject paused = Poll.value(Duration.ofSeconds(150), () -> {
      JsonObject r = stack.registry().http().get("/v1/releases/" + releaseId).ok("release").json();
      return "PAUSED".equals(r.getString("phase")) ? r : null;
    }, "the canary to pause at its first step");
    Service agent = stack.agents().get(0);
    String agentId = agent.id();
    JsonArray instancesBefore = agent.http().get("/v1/instances").ok("instances").array();
    JsonObject serving = instancesBefore.stream().map(JsonObject.class::cast)
        .filter(i -> "HEALTHY".equals(i.getString("state"))).findFirst().orElseThrow();
    Path marker = stack.dir().resolve("rogue-was-here");

    // Everything the rogue sends carries this header, so what it hears from the cluster is told apart.
    DeliveryOptions mark = new DeliveryOptions().addHeader("x-rogue", "1").setSendTimeout(5000);
    List<String> outcomes = new ArrayList<>();
    // 1. a start command whose argv runs a shell (sent before the rogue listens on that address, so every try
    //    goes to the agent rather than round-robin to the rogue's own consumer)
    JsonObject start = new JsonObject().put("app", APP).put("version", "9.9.9")
        .put("artifact", new JsonObject().put("url", stack.registry().http().base() + "/v1/artifacts/" + APP
            + "/1.0.0").put("sha256", sha256(Repo.path("sample-app/target/sample-app-1.0.0.jar"))))
        .put("command", new JsonArray().add("sh").add("-c").add("echo pwned > " + marker));
    for (int i = 0; i < 3; i++) {
      outcomes.add("start on " + agentId + ": " + outcome(rogue.eventBus().request(Addresses.agent(agentId), start,
          new DeliveryOptions(mark.toJson()).addHeader(Addresses.ACTION_HEADER, "start"))));
    }
    // 2. a drain of a serving instance, acks wanted on the rogue's address
    List<String> acks = new CopyOnWriteArrayList<>();
    String replyTo = "baton.rogue.drain-ack";
    rogue.eventBus().consumer(replyTo, m -> acks.add(String.valueOf(m.body()))).completion()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    rogue.eventBus().publish(Addresses.GATEWAY_DRAIN, new DrainRequest(serving.getString("id"), APP,
        serving.getString("version"), "127.0.0.1", serving.getInteger("port"), replyTo, 5000).toJson(), mark);
    // 3. a forged route acknowledgement and 4. metrics saying the canary fails every request
    rogue.eventBus().publish(Addresses.ROUTES_APPLIED, new RoutesApplied(stack.gateway().id(), APP, 999_999).toJson(),
        mark);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      rogue.eventBus().publish(Addresses.GATEWAY_METRICS, new VersionMetrics(stack.gateway().id(), now - 1000, now,
          List.of(new VersionMetrics.Entry(APP, "2.0.0", 1000, 1000, 0, 5000, 5000, 5000))).toJson(), mark);
    }
    // 5. the rogue listens on every baton address: events, metrics (each gateway publishes every second), drains,
    //    route acknowledgements, the agent's commands
    List<String> heard = new CopyOnWriteArrayList<>();
    for (String address : List.of(Addresses.EVENTS, Addresses.GATEWAY_METRICS, Addresses.GATEWAY_DRAIN,
        Addresses.ROUTES_APPLIED, Addresses.agent(agentId))) {
      rogue.eventBus().consumer(address, m -> {
        if (m.headers().get("x-rogue") == null) {
          heard.add(address + ": " + m.body());
        }
      }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    // Give the cluster ample time to act on any of it (a release tick is 200 ms), checking that nothing did.
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < end) {
      assertThat(Files.exists(marker)).as("the rogue's shell command ran").isFalse();
      assertThat(stack.gateway().http().get("/").status()).as("the gateway serves").isEqualTo(200);
      Thread.sleep(1000); // proving that nothing happens takes a bounded wait; each second is checked
    }
    stack.assertAlive();
    JsonObject after = stack.registry().http().get("/v1/releases/" + releaseId).ok("release").json();
    JsonArray instancesAfter = agent.http().get("/v1/instances").ok("instances").array();
    JsonObject upstreams = stack.gateway().admin().get("/v1/upstreams").ok("upstreams").json();

    System.out.println("== rogue member (no certificate) against the stack");
    outcomes.forEach(o -> System.out.println("  " + o));
    System.out.println("  drain published, route ack forged, 5 failing metrics windows published");
    System.out.println("  drain acks the rogue got: " + acks.size());
    System.out.println("  messages the rogue heard from the cluster in 15 s: " + heard.size());
    System.out.println("  release " + releaseId + ": " + paused.getString("phase") + " step " + paused.getInteger("step")
        + " -> " + after.getString("phase") + " step " + after.getInteger("step"));
    System.out.println("  agent instances: " + instancesBefore.size() + " -> " + instancesAfter.size());

    assertThat(outcomes).allMatch(o -> o.contains("refused, no member answered"));
    assertThat(heard).as("what the rogue received").isEmpty();
    assertThat(acks).as("drain acks sent to the rogue").isEmpty();
    assertThat(Files.exists(marker)).isFalse();
    assertThat(after.getString("phase")).isEqualTo("PAUSED");
    assertThat(after.getInteger("step")).isEqualTo(paused.getInteger("step"));
    assertThat(instancesAfter.stream().map(JsonObject.class::cast).map(i -> i.getString("id") + "/" + i.getString("state")))
        .containsExactlyInAnyOrderElementsOf(instancesBefore.stream().map(JsonObject.class::cast)
            .map(i -> i.getString("id") + "/" + i.getString("state")).toList());
    assertThat(upstreams.encode()).contains(serving.getString("id"));
    assertThat(upstreams.encode()).doesNotContain("\"draining\":true");
  }

  /** "refused" when no member answered at all; an agent's answer, even a refusal, means the command got in. */
  private static String outcome(Future<?> reply) {
    try {
      reply.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return "ANSWERED by the agent";
    } catch (Exception e) {
      if (e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return "ANSWERED by the agent with a failure (" + r.getMessage() + ")";
      }
      return "refused, no member answered (" + e.getCause() + ")";
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
