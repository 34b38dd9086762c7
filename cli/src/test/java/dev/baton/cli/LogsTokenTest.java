package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.cli.client.CliException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** SECURITY.md: an agent's address comes from Consul, so {@code baton logs} sends it the read token only. */
class LogsTokenTest {

  @TempDir
  Path dir;

  private LogsCommand logs(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("BATON_CLI_CONFIG", dir.resolve("c.yaml").toString());
    CommandLine cl = BatonCli.commandLine(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = cl.parseArgs(args);
    return (LogsCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void theReadTokenGoesToAgentsAndTheOperatorTokenOnlyToTheRegistrysHost() {
    LogsCommand op = logs(Map.of(), "--registry", "http://10.0.0.5:8090", "--token", "op", "logs", "shop");
    assertThat(op.agentToken("http://10.0.0.5:8070")).isEqualTo("op");
    assertThatThrownBy(() -> op.agentToken("http://10.0.0.9:8070")).isInstanceOf(CliException.class)
        .hasMessageContaining("only the read token").hasMessageContaining("--read-token");
    assertThat(((CliException) catchThrowable(() -> op.agentToken("http://evil:1"))).exitCode()).isEqualTo(2);

    LogsCommand withRead = logs(Map.of(), "--registry", "http://10.0.0.5:8090", "--token", "op", "logs", "shop",
        "--read-token", "rd");
    assertThat(withRead.agentToken("http://10.0.0.9:8070")).isEqualTo("rd");
    LogsCommand fromEnv = logs(Map.of("BATON_READ_TOKEN", "env-rd"), "--registry", "http://10.0.0.5:8090", "--token", "op",
        "logs", "shop");
    assertThat(fromEnv.agentToken("http://10.0.0.9:8070")).isEqualTo("env-rd");
    assertThat(logs(Map.of(), "--registry", "http://10.0.0.5:8090", "logs", "shop").agentToken("http://x:1")).isNull();
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
