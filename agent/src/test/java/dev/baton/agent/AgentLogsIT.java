package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.bus.BatonEvent;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Given a real agent and real sample-app instances, an instance's log can be read and followed over HTTP with the
 * read token, and an instance that exits before it is healthy says why in its failure (docs/agent.md, "Logs").
 */
class AgentLogsIT {

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

  private static AgentFixture.Reply log(String id, String query, String token) throws Exception {
    return fx.call("GET", "/v1/instances/" + id + "/log" + query, null, token);
  }

  @Test
  void lastLinesWithTheReadTokenAndClearRefusals() throws Exception {
    String id = fx.startHealthy("logs", "1.0.0").getString("id");
    Poll.until(AgentFixture.WAIT, () -> log(id, "", AgentFixture.READ_TOKEN).body().contains("listening on"),
        "the instance's first line in its log");

    AgentFixture.Reply all = log(id, "", AgentFixture.READ_TOKEN);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body()).contains("sample-app 1.0.0 listening on");
    AgentFixture.Reply last = log(id, "?lines=1", AgentFixture.TOKEN);
    assertThat(last.body().lines().toList()).hasSize(1);
    assertThat(all.body()).endsWith(last.body());
    assertThat(log(id, "?lines=0", AgentFixture.READ_TOKEN).body()).isEmpty();

    assertThat(log(id, "", null).status()).isEqualTo(401);
    assertThat(log(id, "", "wrong").status()).isEqualTo(401);
    AgentFixture.Reply tooMany = log(id, "?lines=10001", AgentFixture.READ_TOKEN);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().getString("error")).isEqualTo("invalid_request");
    assertThat(tooMany.json().getString("message")).contains("10000");
    assertThat(log(id, "?lines=ten", AgentFixture.READ_TOKEN).status()).isEqualTo(400);
    assertThat(log(id, "?follow=yes", AgentFixture.READ_TOKEN).status()).isEqualTo(400);
    AgentFixture.Reply unknown = log("no-such-instance", "", AgentFixture.READ_TOKEN);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("error")).isEqualTo("not_found");

    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void followStreamsNewLinesAndEndsWhenTheInstanceStops() throws Exception {
    JsonObject instance = fx.startHealthy("follow", "1.0.0");
    String id = instance.getString("id");
    HttpRequest request = HttpRequest.newBuilder(URI.create(fx.service().url() + "/v1/instances/" + id
            + "/log?lines=0&follow=true")).header("Authorization", "Bearer " + AgentFixture.READ_TOKEN).build();
    HttpResponse<InputStream> response = fx.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        in.lines().forEach(lines::add);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    fx.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.getInteger("port") + "/slow?ms=1"))
        .build(), HttpResponse.BodyHandlers.discarding());
    Poll.until(AgentFixture.WAIT, () -> lines.stream().anyMatch(l -> l.contains("slow request started")),
        "the line the instance wrote after the follow began (seen: " + lines + ")");
    assertThat(lines).noneMatch(l -> l.contains("listening on"));
    assertThat(ended).isNotDone();

    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
    Poll.until(AgentFixture.WAIT, ended::isDone, "the follow to end once the instance stopped (seen: " + lines + ")");
    ended.join();
    assertThat(lines).anyMatch(l -> l.contains("sample-app 1.0.0 stopped"));
    System.out.println("follow of " + id + " saw " + lines.size() + " line(s): " + lines);
  }

  @Test
  void aCorruptJarFailsItsStartWithTheLastLinesOfItsLog() throws Exception {
    JsonObject request = fx.startRequest("corrupt", "1.0.0")
        .put("artifact", fx.extraArtifact("corrupt.jar", "this is not a jar\n".getBytes(StandardCharsets.UTF_8)));
    AgentFixture.Reply reply = fx.post("/v1/instances?wait=healthy", request.encode());

    assertThat(reply.status()).as(reply.body()).isEqualTo(502);
    assertThat(reply.json().getString("error")).isEqualTo("instance_failed");
    String message = reply.json().getString("message");
    assertThat(message).contains("before becoming healthy").contains("instance.log").containsIgnoringCase("corrupt jarfile");
    System.out.println("the failed start said: " + message);

    String id = fx.get("/v1/instances").array().stream().map(o -> (JsonObject) o)
        .filter(i -> "corrupt".equals(i.getString("app"))).map(i -> i.getString("id")).findFirst().orElseThrow();
    JsonObject failed = fx.get("/v1/instances/" + id).json();
    assertThat(failed.getString("state")).isEqualTo("FAILED");
    assertThat(failed.getString("message")).containsIgnoringCase("corrupt jarfile");
    BatonEvent event = fx.awaitEvent(id, "instance.failed", 1);
    assertThat(event.message()).containsIgnoringCase("corrupt jarfile");
    assertThat(log(id, "", AgentFixture.READ_TOKEN).body()).containsIgnoringCase("corrupt jarfile");
  }
}
