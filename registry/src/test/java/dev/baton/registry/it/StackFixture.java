package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Given/When/Then steps over a running {@link Stack}, in the operator's words. */
public final class StackFixture {

  public static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(120);

  private final Stack stack;

  public StackFixture(Stack stack) {
    this.stack = stack;
  }

  /** The stack registry ITs run: one registry, one gateway and {@code agents} agents on the class's Consul. */
  public static StackBuilder stack(ConsulExtension consul, int agents) {
    return StackBuilder.create().name("registry-it").consul(consul.process()).registries(1).gateways(1)
        .agents(agents);
  }

  /** The registry's API with the operator token. */
  public Http registry() {
    return new Http(stack.registry().url()).withToken(stack.tokens().operator());
  }

  public Http gateway(String app) {
    return new Http(stack.gateway().url()).with("Host", host(app));
  }

  public static String host(String app) {
    return app + ".test";
  }

  /** Given an app of {@code instances} reachable at {@code <app>.test}, with both sample-app versions uploaded. */
  public void givenApp(String app, int instances, Map<String, String> env) {
    JsonObject spec = new JsonObject().put("instances", instances).put("healthPath", "/health")
        .put("env", new JsonObject(Map.copyOf(env)))
        .put("routing", new JsonObject().put("hosts", new JsonArray().add(host(app))).put("pathPrefix", "/"));
    Http.Response r = registry().put("/v1/apps/" + app, spec);
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    for (String v : new String[] {"1.0.0", "2.0.0"}) {
      Http.Response up = registry().putFile("/v1/artifacts/" + app + "/" + v,
          Repo.path("sample-app/target/sample-app-" + v + ".jar"));
      assertThat(up.status()).as(up.toString()).isIn(200, 201);
    }
  }

  /** Given {@code version} serves 100% of the app (a first release). */
  public void givenServing(String app, String version) {
    String id = release(app, version, null);
    awaitPhase(id, "SUCCEEDED");
    awaitServedOnly(app, version);
  }

  public String release(String app, String version, String strategyJson) {
    return release(app, version, strategyJson, null);
  }

  /** A release with {@code gates} (docs/registry-api.md, "Gates"), none when null. */
  public String release(String app, String version, String strategyJson, JsonArray gates) {
    JsonObject body = new JsonObject().put("version", version);
    if (strategyJson != null) {
      body.put("strategy", new JsonObject(strategyJson));
    }
    if (gates != null) {
      body.put("gates", gates);
    }
    Http.Response r = registry().post("/v1/apps/" + app + "/releases", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  public JsonObject get(String id) {
    return registry().get("/v1/releases/" + id).json();
  }

  public JsonObject operate(String id, String op) {
    Http.Response r = registry().post("/v1/releases/" + id + "/" + op, "");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  public JsonObject awaitPhase(String id, String phase) {
    return Poll.value(RELEASE_TIMEOUT, () -> {
      JsonObject r = get(id);
      if (!phase.equals(r.getString("phase")) && isTerminal(r.getString("phase"))) {
        throw new AssertionError("release ended " + r.getString("phase") + " instead of " + phase + ": " + r.encodePrettily());
      }
      return phase.equals(r.getString("phase")) ? r : null;
    }, "release " + id + " to be " + phase);
  }

  private static boolean isTerminal(String phase) {
    return "SUCCEEDED".equals(phase) || "ABORTED".equals(phase) || "FAILED".equals(phase);
  }

  /** Versions of {@code n} responses through the gateway. */
  public Map<String, Integer> served(String app, int n, String header, String value) {
    Http client = header == null ? gateway(app) : gateway(app).with(header, value);
    Map<String, Integer> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      Http.Response r = client.get("/");
      out.merge(r.status() == 200 ? r.header("X-Baton-Version") : "status " + r.status(), 1, Integer::sum);
    }
    return out;
  }

  /** Waits until 20 requests in a row are all served by {@code version}. */
  public void awaitServedOnly(String app, String version) {
    Poll.until(Duration.ofSeconds(30), () -> served(app, 20, null, null).equals(Map.of(version, 20)),
        app + " to be served only by " + version);
  }

  /** Passing instances in Consul per version, as the registry reports them. */
  public Map<String, Integer> passing(String app) {
    Map<String, Integer> out = new TreeMap<>();
    registry().get("/v1/apps/" + app).json().getJsonArray("instances").forEach(o -> {
      JsonObject i = (JsonObject) o;
      if ("passing".equals(i.getString("status"))) {
        out.merge(i.getString("version"), 1, Integer::sum);
      }
    });
    return out;
  }

  public JsonArray instances(String app) {
    return registry().get("/v1/apps/" + app).json().getJsonArray("instances");
  }
}
