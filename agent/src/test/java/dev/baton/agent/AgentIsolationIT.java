package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.ServiceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Given a real agent process, instances are isolated from it and from each other: what reaches their
 * environment, the modes of what the agent stores, the artifact checked again before every launch, the user and
 * the limits they run with — all read from the running processes in /proc.
 */
class AgentIsolationIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  static final String SECRET = "AGENT_ONLY_SECRET_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();

  static AgentFixture fx;

  @BeforeAll
  static void startAgent() throws Exception {
    fx = new AgentFixture(CONSUL, Map.of(SECRET, "must-not-leak", "TZ", "Europe/Paris"));
    fx.startAgent();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void anInstanceSeesOnlyAllowedAgentVariablesItsOwnEnvAndWhatTheAgentOwns() throws Exception {
    JsonObject instance = fx.startHealthy("envcheck", "1.0.0");
    Map<String, String> env = environ(instance.getLong("pid"));

    assertThat(env).doesNotContainKeys(SECRET, "BATON_TOKEN", "BATON_CLUSTER_NAME", "HOME")
        .containsEntry("TZ", "Europe/Paris").containsEntry("APP_NAME", "envcheck")
        .containsEntry("BATON_INSTANCE_ID", instance.getString("id"))
        .containsEntry("PORT", instance.getInteger("port").toString());
    // The agent's default allow list, plus what the test stacks allow (test-support ServiceEnv.DEFAULTS).
    assertThat(env.keySet()).allMatch(k -> k.matches("PATH|LANG|LC_.*|TZ|JAVA_HOME|TMPDIR|BATONTEST_MARK_.*"
        + "|JAVA_TOOL_OPTIONS|APP_NAME|PORT|BATON_INSTANCE_ID"), "allow-listed, requested or owned by the agent");
    assertThat(fx.delete("/v1/instances/" + instance.getString("id") + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void whatTheAgentStoresIsPrivate() throws Exception {
    JsonObject instance = fx.startHealthy("modes", "1.0.0");
    String id = instance.getString("id");
    Path dir = fx.dataDir().resolve("instances").resolve(id);

    String outer = root() ? "rwx--x--x" : "rwx------";
    assertThat(mode(fx.dataDir())).isEqualTo(outer);
    assertThat(mode(fx.dataDir().resolve("instances"))).isEqualTo(outer);
    assertThat(mode(fx.dataDir().resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(fx.dataDir().resolve("state").resolve(id + ".json"))).isEqualTo("rw-------");
    assertThat(mode(fx.dataDir().resolve("artifacts"))).isEqualTo("rwx------");
    assertThat(mode(fx.dataDir().resolve("artifacts").resolve(AgentFixture.sha256("1.0.0")))).isEqualTo("r--------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("instance.log"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("work"))).isEqualTo("rwx------");
    assertThat(Files.readSymbolicLink(Path.of("/proc", instance.getLong("pid").toString(), "cwd")))
        .isEqualTo(dir.resolve("work"));
    assertThat(fx.delete("/v1/instances/" + id + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void aCachedArtifactCorruptedBetweenTwoStartsIsRefusedRemovedAndFetchedAgain() throws Exception {
    JsonObject first = fx.startHealthy("corrupt", "2.0.0");
    assertThat(fx.delete("/v1/instances/" + first.getString("id") + "?wait=stopped").status()).isEqualTo(200);
    String expected = AgentFixture.sha256("2.0.0");
    Path cached = fx.dataDir().resolve("artifacts").resolve(expected);
    String actual = corrupt(cached);

    AgentFixture.Reply refused = fx.post("/v1/instances?wait=healthy", fx.startRequest("corrupt", "2.0.0").encode());

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getString("error")).isEqualTo("artifact_corrupt");
    assertThat(refused.json().getString("message")).contains(expected).contains(actual);
    assertThat(fx.instancePids()).as("nothing runs the corrupt bytes").isEmpty();
    assertThat(cached).as("the corrupt copy is gone").doesNotExist();

    JsonObject again = fx.startHealthy("corrupt", "2.0.0");
    assertThat(cached).exists();
    assertThat(fx.delete("/v1/instances/" + again.getString("id") + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void aCrashRestartChecksTheArtifactAgainAndFailsOnACorruptOne() throws Exception {
    JsonObject instance = fx.startHealthy("crashcheck", "1.0.0");
    String id = instance.getString("id");
    corrupt(fx.dataDir().resolve("artifacts").resolve(AgentFixture.sha256("1.0.0")));

    AgentFixture.kill9(instance.getLong("pid"));

    JsonObject failed = Poll.value(AgentFixture.WAIT, () -> {
      JsonObject now = fx.get("/v1/instances/" + id).json();
      return "FAILED".equals(now.getString("state")) ? now : null;
    }, "the restart to be refused");
    assertThat(failed.getString("message")).contains("sha256").contains(AgentFixture.sha256("1.0.0"));
    assertThat(fx.instancePids()).isEmpty();
    assertThat(fx.passing("crashcheck")).isEmpty();
  }

  @Test
  void runAsNobodyWithLimitsRunsAsNobodyWithinThem() throws Exception {
    assumeTrue(root(), "runAs needs an agent running as root");
    JsonObject request = fx.startRequest("confined", "1.0.0").put("runAs", "nobody")
        .put("limits", new JsonObject().put("memoryMb", 512).put("openFiles", 512));
    AgentFixture.Reply r = fx.post("/v1/instances?wait=healthy", request.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    long pid = r.json().getLong("pid");
    Path proc = Path.of("/proc", Long.toString(pid));

    assertThat(Files.readAllLines(proc.resolve("status"))).anyMatch(l -> l.matches("Uid:\\s+65534\\s+65534\\s+65534\\s+65534"));
    String limits = Files.readString(proc.resolve("limits"));
    assertThat(limits).containsPattern("Max open files\\s+512\\s+512").containsPattern("Max data size\\s+536870912\\s+536870912");
    assertThat(environ(pid)).containsEntry("USER", "nobody").containsEntry("HOME", "/nonexistent");
    Path dir = fx.dataDir().resolve("instances").resolve(r.json().getString("id"));
    assertThat(Files.getAttribute(dir.resolve("work"), "unix:uid")).isEqualTo(65534);
    assertThat(Files.getAttribute(dir.resolve("instance.log"), "unix:uid")).isEqualTo(0);
    assertThat(mode(dir)).isEqualTo("rwx--x--x");
    assertThat(fx.delete("/v1/instances/" + r.json().getString("id") + "?wait=stopped").status()).isEqualTo(200);
  }

  @Test
  void anUnknownRunAsUserIsRefusedWithNothingStarted() throws Exception {
    String before = fx.get("/v1/instances").body();
    JsonObject request = fx.startRequest("ghostly", "1.0.0").put("runAs", "baton-no-such-user");

    AgentFixture.Reply r = fx.post("/v1/instances?wait=healthy", request.encode());

    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().getString("error")).isEqualTo("unknown_user");
    assertThat(r.json().getString("message")).contains("baton-no-such-user");
    assertThat(fx.instancePids()).isEmpty();
    assertThat(fx.get("/v1/instances").body()).isEqualTo(before);
  }

  @Test
  void anAllowListThatWouldLeakTheTokenStopsTheAgentWithStatus2() {
    ServiceSpec badAllow = ServiceSpec.agent(fx.agentId + "-bad-allow").env(fx.env)
        .env("BATON_INSTANCE_ENV_ALLOW", "BATON_*");
    try (ManagedProcess bad = fx.stack.define(badAllow).launch()) {
      assertThat(bad.waitForExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(bad.logTail(5)).contains("BATON_INSTANCE_ENV_ALLOW");
    }
  }

  /** Makes {@code cached} differ by one byte, as disk corruption would; returns the sha256 it has then. */
  private static String corrupt(Path cached) throws Exception {
    Files.setPosixFilePermissions(cached, PosixFilePermissions.fromString("rw-------"));
    Files.write(cached, new byte[] {0}, StandardOpenOption.APPEND);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cached)));
  }

  private static Map<String, String> environ(long pid) throws Exception {
    String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
    return Arrays.stream(raw.split("\0")).filter(e -> e.contains("="))
        .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1), (a, b) -> b));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static boolean root() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (Exception e) {
      return false;
    }
  }
}
