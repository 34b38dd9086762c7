package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Artifacts on every registry, with a real Consul, two real registries, an agent and a gateway: an upload is
 * acknowledged once the follower holds it, a delete removes the follower's copy; a follower that lost its files fetches them from the leader (on a
 * download, and by its sweep at start); with the leader killed, the new leader serves and releases a version
 * uploaded before; an agent listing both registries downloads from the second when the artifact's URL is dead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArtifactReplicationIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final String APP = "replicated";
  static final byte[] NOTES = "release notes, stored on every registry".getBytes(StandardCharsets.UTF_8);

  static Stack stack;
  static Service standby;
  static StackFixture given;
  static Vertx vertx;
  static ConsulClient consul;

  @BeforeAll
  static void start() {
    // registry-2 is in the stack from the start (a member everyone lists, in the agent's BATON_REGISTRY_URL) but
    // starts once registry-1 holds the leader lock, so that it is the follower.
    stack = StackFixture.stack(CONSUL, 1).later(ServiceSpec.registry("registry-2")).start();
    stack.awaitLeader(Duration.ofSeconds(60));
    standby = stack.service("registry-2");
    standby.start();
    given = new StackFixture(stack);
    vertx = Vertx.vertx();
    consul = CONSUL.client(vertx);
    Poll.until(Duration.ofSeconds(60), () -> consul.healthServiceNodes("baton-registry", true)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).getList().size() == 2,
        "both registries to pass their Consul checks");
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void anUploadIsAcknowledgedOnceTheFollowerHoldsTheBytes() throws Exception {
    Http.Response up = given.registry().putBytes("/v1/artifacts/notes/1.0.0", NOTES);
    assertThat(up.status()).as(up.toString()).isEqualTo(201);
    assertThat(up.json().getJsonArray("replicas")).containsExactly("registry-1", "registry-2");
    assertThat(up.json().getJsonArray("lagging")).isEmpty();
    assertThat(artifactFile("registry-2", "notes", "1.0.0", sha256(NOTES))).hasBinaryContent(NOTES);

    given.givenApp(APP, 1, Map.of());
    for (String v : new String[] {"1.0.0", "2.0.0"}) {
      byte[] jar = Files.readAllBytes(jar(v));
      assertThat(artifactFile("registry-2", APP, v, sha256(jar))).as(v + " on the follower").hasBinaryContent(jar);
    }
  }

  @Test
  @Order(2)
  void aDeleteOnTheLeaderRemovesTheFollowersCopy() throws Exception {
    byte[] scratch = "scratch bytes".getBytes(StandardCharsets.UTF_8);
    assertThat(given.registry().putBytes("/v1/artifacts/scratch/1.0.0", scratch).status()).isEqualTo(201);
    Path copy = artifactFile("registry-2", "scratch", "1.0.0", sha256(scratch));
    assertThat(copy).hasBinaryContent(scratch);
    Http.Response deleted = given.registry().delete("/v1/artifacts/scratch/1.0.0");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(copy).doesNotExist();
  }

  @Test
  @Order(3)
  void aFollowerThatLostItsFilesFetchesThemFromThePeer() throws Exception {
    wipeArtifacts("registry-2");
    Http.Response r = follower().get("/v1/artifacts/notes/1.0.0");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(new String(NOTES, StandardCharsets.UTF_8));
    assertThat(artifactFile("registry-2", "notes", "1.0.0", sha256(NOTES))).hasBinaryContent(NOTES);

    standby.kill9();
    wipeArtifacts("registry-2");
    standby.start();
    byte[] jar = Files.readAllBytes(jar("2.0.0"));
    Path file = artifactFile("registry-2", APP, "2.0.0", sha256(jar));
    Poll.until(Duration.ofSeconds(60), () -> Files.exists(file) && Files.size(file) == jar.length,
        "the restarted follower's sweep to fetch " + APP + " 2.0.0 from the leader");
    assertThat(file).hasBinaryContent(jar);
  }

  @Test
  @Order(4)
  void withTheLeaderKilledTheNewLeaderServesAndReleasesAVersionUploadedBefore() throws Exception {
    given.givenServing(APP, "1.0.0");
    stack.registry().kill9();
    Poll.until(Duration.ofSeconds(60), () -> follower().get("/v1/health").json().getBoolean("leader", false),
        "registry-2 to lead");

    byte[] jar = Files.readAllBytes(jar("2.0.0"));
    assertThat(sha256(download(standby.url() + "/v1/artifacts/" + APP + "/2.0.0", stack.tokens().read())))
        .isEqualTo(sha256(jar));
    Http.Response created = follower().post("/v1/apps/" + APP + "/releases", new JsonObject().put("version", "2.0.0"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().getString("id");
    JsonObject done = Poll.value(StackFixture.RELEASE_TIMEOUT, () -> {
      JsonObject rel = follower().get("/v1/releases/" + id).json();
      String phase = rel.getString("phase");
      if ("ABORTED".equals(phase) || "FAILED".equals(phase)) {
        throw new AssertionError("the release after the failover ended " + phase + ": " + rel.encodePrettily());
      }
      return "SUCCEEDED".equals(phase) ? rel : null;
    }, "the release of 2.0.0 on the new leader to succeed");
    assertThat(done.getString("toVersion")).isEqualTo("2.0.0");
    given.awaitServedOnly(APP, "2.0.0");
  }

  @Test
  @Order(5)
  void anAgentListingTwoRegistriesDownloadsFromTheSecondWhenTheArtifactsURLIsDead() throws Exception {
    String dead = stack.registry().url() + "/v1/artifacts/notes/1.0.0";
    JsonObject start = new JsonObject().put("app", "notes").put("version", "1.0.0")
        .put("artifact", new JsonObject().put("url", dead).put("sha256", sha256(NOTES)))
        .put("command", new JsonArray().add("sleep").add("300"));
    Http agent = new Http(stack.agent().url()).withToken(stack.tokens().operator());
    Http.Response r = agent.post("/v1/instances", start);
    assertThat(r.status()).as("downloaded from registry-2 although registry-1 is dead: " + r).isEqualTo(202);
    assertThat(agent.delete("/v1/instances/" + r.json().getString("id")).status()).isIn(200, 202);

    Http.Response unknown = agent.post("/v1/instances", start.copy().put("artifact", new JsonObject()
        .put("url", dead.replace("notes/1.0.0", "notes/9.9.9")).put("sha256", "ab".repeat(32))));
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(502);
    assertThat(unknown.json().getString("message")).contains(standby.url())
        .doesNotContain(stack.agent().dataDir().toString());
  }

  private static Http follower() {
    return new Http(standby.url()).withToken(stack.tokens().operator());
  }

  private static Path jar(String version) {
    return Repo.path("sample-app/target/sample-app-" + version + ".jar");
  }

  private static Path artifactFile(String registry, String app, String version, String sha) {
    return stack.service(registry).dataDir().resolve("artifacts").resolve(app).resolve(version + "." + sha);
  }

  private static void wipeArtifacts(String registry) throws Exception {
    Path root = stack.service(registry).dataDir().resolve("artifacts");
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).forEach(p -> p.toFile().delete());
    }
  }

  private static byte[] download(String url, String token) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
