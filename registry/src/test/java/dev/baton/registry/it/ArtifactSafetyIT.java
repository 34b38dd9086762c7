package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Stack;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Artifact safety against a real Consul and the real registry jar (with one agent, a gateway and real
 * sample-app instances for the in-use rules): crafted KV records and symbolic links never serve a file
 * outside the artifact root, the quota refuses what does not fit and stores nothing, DELETE refuses a
 * version still needed and removes one that is not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArtifactSafetyIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final String SECRET = "TOP-SECRET-registry-private-bytes";
  /** Both sample-app jars (13 MB) fit; a megabyte more does not. */
  static final long QUOTA = 14_000_000;

  static Stack stack;
  static StackFixture given;
  static Http registry;
  static Vertx vertx;
  static ConsulClient consul;
  static Path dataDir;
  static Path root;
  /** A directory beside the artifact root holding the secret under an artifact's file name. */
  static Path outside;
  static String secretSha;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("artifact-safety-it");
    root = dataDir.resolve("artifacts");
    Files.writeString(dataDir.resolve("secret.txt"), SECRET);
    secretSha = sha256(SECRET.getBytes(StandardCharsets.UTF_8));
    outside = Files.createDirectories(dataDir.resolve("outside"));
    Files.writeString(outside.resolve("1.0.0." + secretSha), SECRET);
    stack = StackFixture.stack(CONSUL, 1).env(ServiceKind.REGISTRY, Map.of("BATON_DATA_DIR", dataDir.toString(),
        "BATON_ARTIFACT_QUOTA_BYTES", String.valueOf(QUOTA))).start();
    given = new StackFixture(stack);
    registry = given.registry();
    vertx = Vertx.vertx();
    consul = CONSUL.client(vertx);
    given.givenApp("keep", 1, Map.of());
    assertThat(registry.put("/v1/apps/evil", "{\"instances\":1}").status()).isIn(200, 201);
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
  void craftedRecordsNeverServeAFileOutsideTheRootAndAreRefusedNamingTheirKey() {
    String sha = secretSha;
    JsonObject good = new JsonObject().put("app", "evil").put("sha256", sha).put("size", SECRET.length())
        .put("uploadedAt", "2026-01-01T00:00:00Z");
    Map<String, String> crafted = Map.of(
        "1.0.0", good.copy().put("version", "1.0.0").put("app", outside.toString()).encode(),
        "1.0.1", good.copy().put("version", "../../secret.txt").encode(),
        "1.0.2", good.copy().put("version", "1.0.2").put("app", "../..").encode(),
        "1.0.3", good.copy().put("version", "1.0.3").put("sha256", "/../../../secret.txt").encode(),
        "1.0.4", good.copy().put("version", "1.0.4").put("sha256", "/etc/passwd").encode(),
        "1.0.5", good.copy().put("version", "/etc/passwd").encode(),
        "1.0.6", good.copy().put("version", "1.0.6").put("app", "keep").encode(),
        "1.0.7", good.copy().put("version", "1.0.7").put("size", -1).encode(),
        "1.0.8", "../../../../etc/passwd",
        "1.0.9", good.copy().put("version", "1.0.9").put("sha256", sha.toUpperCase()).encode());
    crafted.forEach((v, value) -> kvPut("baton/artifacts/evil/" + v, value));
    kvPut("baton/artifacts/evil/1.0.0/extra", good.copy().put("version", "1.0.0").encode());

    for (String v : crafted.keySet()) {
      Http.Response r = registry.get("/v1/artifacts/evil/" + v);
      error(r, 500, "artifact_invalid");
      assertThat(r.body()).doesNotContain(SECRET).doesNotContain("root:x:0:0")
          .contains("baton/artifacts/evil/" + v, "DELETE /v1/artifacts/evil/" + v);
      error(registry.post("/v1/apps/evil/releases", "{\"version\":\"" + v + "\"}"), 422, "artifact_invalid");
    }
    stack.registry().process().awaitLog(Pattern.compile(Pattern.quote("baton/artifacts/evil/1.0.4") + ".*invalid"),
        Duration.ofSeconds(10));
    JsonObject list = registry.get("/v1/artifacts/evil").ok("the list").json();
    assertThat(list.getJsonArray("artifacts")).isEmpty();
    assertThat(list.getJsonArray("invalid")).hasSize(crafted.size() + 1);
    assertThat(list.getJsonArray("invalid").encode()).contains("baton/artifacts/evil/1.0.0/extra");

    Http.Response deleted = registry.delete("/v1/artifacts/evil/1.0.4");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().getBoolean("fileDeleted")).isFalse();
    error(registry.get("/v1/artifacts/evil/1.0.4"), 404, "not_found");
    assertThat(Files.exists(dataDir.resolve("secret.txt"))).isTrue();
  }

  @Test
  @Order(2)
  void aSymbolicLinkInTheDataDirIsNeverFollowedOutOfTheRoot() throws Exception {
    byte[] bytes = "x".repeat(SECRET.length()).getBytes(StandardCharsets.UTF_8);
    assertThat(registry.putBytes("/v1/artifacts/link/1.0.0", bytes).status()).isEqualTo(201);
    Path file = root.resolve("link").resolve("1.0.0." + sha256(bytes));
    Files.delete(file);
    Files.createSymbolicLink(file, dataDir.resolve("secret.txt"));
    Http.Response r = registry.get("/v1/artifacts/link/1.0.0");
    error(r, 500, "artifact_invalid");
    assertThat(r.body()).doesNotContain(SECRET).contains("outside the artifact root").doesNotContain(dataDir.toString());

    String sha = secretSha;
    Files.createSymbolicLink(root.resolve("dirlink"), outside);
    kvPut("baton/artifacts/dirlink/1.0.0", new JsonObject().put("app", "dirlink").put("version", "1.0.0")
        .put("sha256", sha).put("size", SECRET.length()).encode());
    Http.Response viaDir = registry.get("/v1/artifacts/dirlink/1.0.0");
    error(viaDir, 500, "artifact_invalid");
    assertThat(viaDir.body()).doesNotContain(SECRET);
    Http.Response deleted = registry.delete("/v1/artifacts/dirlink/1.0.0");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().getBoolean("fileDeleted")).as("nothing outside the root is removed").isFalse();
    assertThat(outside.resolve("1.0.0." + sha)).hasContent(SECRET);
    assertThat(kvGet("baton/artifacts/dirlink/1.0.0")).isNull();
  }

  @Test
  @Order(3)
  void reuploadingTheSameBytesAfterTheFileVanishedStoresThemAgain() throws Exception {
    byte[] bytes = "vanishing bytes".getBytes(StandardCharsets.UTF_8);
    assertThat(registry.putBytes("/v1/artifacts/vanish/1.0.0", bytes).status()).isEqualTo(201);
    Path file = root.resolve("vanish").resolve("1.0.0." + sha256(bytes));
    Files.delete(file);
    Http.Response missing = registry.get("/v1/artifacts/vanish/1.0.0");
    error(missing, 404, "artifact_bytes_missing");
    assertThat(missing.json().getString("message")).contains("PUT /v1/artifacts/vanish/1.0.0")
        .as("no error names a file").doesNotContain(dataDir.toString()).doesNotContain(root.toString());

    Http.Response again = registry.putBytes("/v1/artifacts/vanish/1.0.0", bytes);
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(file).hasBinaryContent(bytes);
    assertThat(registry.get("/v1/artifacts/vanish/1.0.0").body()).isEqualTo("vanishing bytes");
    assertThat(registry.putBytes("/v1/artifacts/vanish/1.0.0", bytes).status()).as("present: idempotent").isEqualTo(200);
    error(registry.putBytes("/v1/artifacts/vanish/1.0.0", "other".getBytes(StandardCharsets.UTF_8)), 409,
        "artifact_exists");
  }

  @Test
  @Order(4)
  void anUploadOverTheQuotaIs413NamingQuotaAndUseAndNothingIsStored() throws Exception {
    JsonObject before = registry.get("/v1/artifacts/big").ok("the list").json();
    long used = before.getLong("usedBytes");
    assertThat(before.getLong("quotaBytes")).isEqualTo(QUOTA);
    byte[] tooMuch = new byte[(int) (QUOTA - used + 1)];
    for (Http.Response r : new Http.Response[] {registry.putBytes("/v1/artifacts/big/1.0.0", tooMuch),
        registry.putChunked("/v1/artifacts/big/1.0.0", tooMuch)}) {
      error(r, 413, "quota_exceeded");
      assertThat(r.json().getString("message")).contains(String.valueOf(QUOTA), used + " bytes are in use",
          "BATON_ARTIFACT_QUOTA_BYTES", "DELETE /v1/artifacts/{app}/{version}");
    }
    error(registry.get("/v1/artifacts/big/1.0.0"), 404, "not_found");
    assertThat(kvGet("baton/artifacts/big/1.0.0")).isNull();
    Poll.until(Duration.ofSeconds(10), () -> !Files.exists(root.resolve("big")) || filesIn(root.resolve("big")) == 0,
        "the partial upload to be removed");
    assertThat(registry.get("/v1/artifacts/big").json().getLong("usedBytes")).isEqualTo(used);

    assertThat(registry.putBytes("/v1/artifacts/big/1.0.1", new byte[10]).status()).as("what fits").isEqualTo(201);
    assertThat(registry.delete("/v1/artifacts/big/1.0.1").status()).isEqualTo(200);
  }

  @Test
  @Order(5)
  void deleteRefusesWhatRunsWhatARollbackNeedsAndAReleaseInProgressThenRemovesWhatIsUnused() throws Exception {
    given.givenServing("keep", "1.0.0");
    given.awaitPhase(given.release("keep", "2.0.0", "{\"type\":\"rolling\",\"mode\":\"surge\"}"), "SUCCEEDED");

    Http.Response running = registry.delete("/v1/artifacts/keep/2.0.0");
    error(running, 409, "artifact_in_use");
    assertThat(running.json().getString("message")).contains("instance runs it", "route policy", "last successful");
    Http.Response previous = registry.delete("/v1/artifacts/keep/1.0.0");
    error(previous, 409, "artifact_in_use");
    assertThat(previous.json().getString("message")).contains("previous good version", "rollback");

    String id = given.release("keep", "1.0.0", "{\"type\":\"blue-green\"}");
    for (String v : new String[] {"1.0.0", "2.0.0"}) {
      Http.Response inRelease = registry.delete("/v1/artifacts/keep/" + v);
      error(inRelease, 409, "artifact_in_use");
      assertThat(inRelease.json().getString("message")).contains("release " + id);
    }
    given.operate(id, "abort");
    given.awaitPhase(id, "ABORTED");
    assertThat(registry.get("/v1/artifacts/keep/1.0.0").status()).isEqualTo(200);
    assertThat(registry.get("/v1/artifacts/keep/2.0.0").status()).isEqualTo(200);

    byte[] unused = "never released".getBytes(StandardCharsets.UTF_8);
    assertThat(registry.putBytes("/v1/artifacts/keep/9.9.9", unused).status()).isEqualTo(201);
    Path file = root.resolve("keep").resolve("9.9.9." + sha256(unused));
    assertThat(file).exists();
    Http.Response deleted = registry.delete("/v1/artifacts/keep/9.9.9");
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().getString("sha256")).isEqualTo(sha256(unused));
    assertThat(deleted.json().getBoolean("fileDeleted")).isTrue();
    assertThat(file).doesNotExist();
    assertThat(kvGet("baton/artifacts/keep/9.9.9")).isNull();
    error(registry.get("/v1/artifacts/keep/9.9.9"), 404, "not_found");
    error(registry.delete("/v1/artifacts/keep/9.9.9"), 404, "not_found");
    error(registry.delete("/v1/artifacts/keep/bad%20version"), 400, "invalid_request");
    assertThat(registry.get("/v1/artifacts/keep").json().getJsonArray("artifacts").stream()
        .map(o -> ((JsonObject) o).getString("version"))).containsExactlyInAnyOrder("1.0.0", "2.0.0");
  }

  @Test
  @Order(6)
  void anEmptyUploadIs400AndNothingIsStored() throws Exception {
    long used = registry.get("/v1/artifacts/keep").json().getLong("usedBytes");
    for (Http.Response r : new Http.Response[] {registry.putBytes("/v1/artifacts/keep/0.0.0", new byte[0]),
        registry.putChunked("/v1/artifacts/keep/0.0.0", new byte[0])}) {
      error(r, 400, "empty_artifact");
      assertThat(r.json().getString("message")).contains("0 bytes", "--data-binary");
    }
    error(registry.get("/v1/artifacts/keep/0.0.0"), 404, "not_found");
    assertThat(kvGet("baton/artifacts/keep/0.0.0")).isNull();
    assertThat(registry.get("/v1/artifacts/keep").json().getLong("usedBytes")).isEqualTo(used);
    Poll.until(Duration.ofSeconds(10), () -> {
      try (Stream<Path> files = Files.list(root.resolve("keep"))) {
        return files.noneMatch(f -> f.getFileName().toString().startsWith(".upload-")
            || f.getFileName().toString().startsWith("0.0.0"));
      }
    }, "the empty upload's temporary file to be removed");
  }

  @Test
  @Order(7)
  void theAppViewGivesEachInstanceItsAgentsUrlWhereItsLogIsReadWithTheReadToken() {
    JsonObject view = registry.get("/v1/apps/keep").ok("the app view").json();
    String agentUrl = stack.agent().url();
    assertThat(view.getJsonArray("instances")).isNotEmpty();
    for (Object o : view.getJsonArray("instances")) {
      JsonObject instance = (JsonObject) o;
      assertThat(instance.getString("agentUrl")).as(instance.encode()).isEqualTo(agentUrl);
      Http.Response log = new Http(instance.getString("agentUrl")).withToken(stack.tokens().read())
          .get("/v1/instances/" + instance.getString("id") + "/log?lines=5");
      assertThat(log.status()).as(log.toString()).isEqualTo(200);
      assertThat(log.body()).contains("sample-app " + instance.getString("version") + " listening on");
    }
    assertThat(view.getJsonArray("placement").stream().map(o -> ((JsonObject) o).getString("agentUrl")))
        .containsOnly(agentUrl);
  }

  @Test
  @Order(8)
  void aReleaseOfACorruptJarFailsWithTheLastLinesOfTheInstancesLogInItsReason() {
    assertThat(registry.putBytes("/v1/artifacts/keep/6.6.6", "not a jar at all\n".getBytes(StandardCharsets.UTF_8))
        .status()).isEqualTo(201);
    String id = given.release("keep", "6.6.6", "{\"type\":\"rolling\",\"mode\":\"surge\"}");
    JsonObject release = given.awaitPhase(id, "ABORTED");

    String reasons = release.getJsonArray("history").encode();
    System.out.println("release of a corrupt jar: " + release.getString("message") + "; history: " + reasons);
    assertThat(reasons).containsIgnoringCase("corrupt jarfile").contains("instance.log");
  }

  static void error(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(r.toString()).isEqualTo(code);
    assertThat(r.json().getString("message")).as(r.toString()).isNotBlank();
  }

  static void kvPut(String key, String value) {
    await(consul.putValue(key, value));
  }

  static String kvGet(String key) {
    KeyValue kv = await(consul.getValue(key));
    return kv == null || !kv.isPresent() ? null : kv.getValue();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long filesIn(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
