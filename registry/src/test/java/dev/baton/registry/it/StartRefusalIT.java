package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ServiceKind;
import dev.baton.common.config.TokenRule;
import dev.baton.testsupport.ClusterCerts;
import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.stack.Service;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens fail closed (docs/ARCHITECTURE.md "Configuration"): each service jar, its command port bound to every
 * interface without {@code BATON_TOKEN}, exits with status 2 before it listens or joins a cluster, and its stderr
 * names {@code BATON_TOKEN}. On loopback without a token it starts, with a warning.
 */
class StartRefusalIT {

  @ParameterizedTest
  @EnumSource(ServiceKind.class)
  void aCommandPortOnEveryInterfaceWithoutATokenExits2NamingBatonToken(ServiceKind kind) throws Exception {
    Path dir = Files.createTempDirectory("baton-refusal-");
    int[] ports = FreePorts.find(3);
    ProcessBuilder pb = new ProcessBuilder(JavaJar.command(Service.jar(kind)))
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BATON_") || k.startsWith("CONSUL_"));
    pb.environment().putAll(Map.of(TokenRule.bindKey(kind), "0.0.0.0", "BATON_HTTP_PORT", String.valueOf(ports[0]),
        "BATON_ADMIN_PORT", String.valueOf(ports[1]), "BATON_CLUSTER_PORT", String.valueOf(ports[2]),
        "BATON_CONSUL_PORT", String.valueOf(FreePorts.find()), "BATON_DATA_DIR", dir.resolve("data").toString()));
    Process p = pb.start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(kind.key + " exits").isTrue();
      String stderr = Files.readString(dir.resolve("stderr"));
      String stdout = Files.readString(dir.resolve("stdout"));
      System.out.println(kind.key + " with " + TokenRule.bindKey(kind) + "=0.0.0.0 and no token: exit " + p.exitValue()
          + ", stderr: " + stderr.strip());
      assertThat(p.exitValue()).as(stderr).isEqualTo(2);
      assertThat(stderr).contains("BATON_TOKEN").contains(TokenRule.bindKey(kind) + "=0.0.0.0");
      assertThat(stdout + stderr).doesNotContainIgnoringCase("listening").doesNotContain("Members {");
      for (int port : new int[] {ports[0], ports[1], ports[2]}) {
        assertThat(accepts(port)).as("nothing listens on " + port).isFalse();
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withoutATokenOnLoopbackAServiceStartsAndSaysItIsOpen() {
    int[] ports = FreePorts.find(2);
    try (ManagedProcess agent = ManagedProcess.builder(JavaJar.command(Service.jar(ServiceKind.AGENT)))
        .name("open-agent").env(ClusterCerts.env("open-agent")).env(Map.of("BATON_HTTP_PORT", String.valueOf(ports[0]), "BATON_CLUSTER_PORT",
            String.valueOf(ports[1]), "BATON_CLUSTER_MEMBERS", "127.0.0.1:" + ports[1], "BATON_CLUSTER_NAME",
            "open-" + ports[1], "BATON_CONSUL_PORT", String.valueOf(FreePorts.find()),
            "BATON_DATA_DIR", Path.of("target", "open-agent-" + ports[0]).toAbsolutePath().toString()))
        .start()) {
      agent.awaitLog(Pattern.compile("agent: WARNING: BATON_TOKEN is not set, so the agent API on 127\\.0\\.0\\.1:"
          + ports[0] + " accepts commands"), Duration.ofSeconds(60));
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
