package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton logs APP [--instance ID] [--follow] [--lines N]}: an instance's log from its agent
 * (docs/agent.md, {@code GET /v1/instances/{id}/log}), found through the registry's app view ({@code agentUrl}),
 * sent the read token (SECURITY.md: {@code agentUrl} comes from Consul, so it never gets the operator token; without
 * a read token the CLI's token goes only to an agent on the registry's own host). Several instances: each line
 * starts with the instance's id.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print the last lines of the app's instance logs (all instances, or one), from their agents.",
        "--follow keeps printing new lines until the instances stop or Ctrl-C."},
    footer = {"", "Examples:", "  baton logs shop", "  baton logs shop --instance shop-2.0.0-1a2b --follow",
        "  baton logs shop --lines 500 | grep -i exception"})
final class LogsCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP")
  String app;

  @Option(names = "--instance", paramLabel = "ID", description = "only this instance (baton app get APP lists them)")
  String instance;

  @Option(names = {"-f", "--follow"}, description = "keep streaming new lines")
  boolean follow;

  @Option(names = "--read-token", paramLabel = "TOKEN",
      description = "the read token to send the agents (default: BATON_READ_TOKEN, the context's readToken)")
  String readToken;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100", description = "lines from the end (default ${DEFAULT-VALUE}, max 10000)")
  int lines;

  @Override
  public Integer call() throws InterruptedException {
    if (lines < 0 || lines > 10_000) {
      throw CliException.usage("--lines takes 0 to 10000, not " + lines);
    }
    List<Map<String, Object>> all = Values.maps(api().get("/v1/apps/" + seg(app)), "instances");
    List<Map<String, Object>> chosen = new ArrayList<>();
    for (Map<String, Object> i : all) {
      if (instance == null || instance.equals(Values.str(i, "id"))) {
        chosen.add(i);
      }
    }
    if (chosen.isEmpty()) {
      throw CliException.failed(instance == null ? "error: " + app + " has no instances running"
          : "error: " + app + " has no instance " + instance + " — its instances: "
          + String.join(", ", all.stream().map(i -> Values.str(i, "id")).toList()));
    }
    boolean prefix = chosen.size() > 1;
    List<Thread> followers = new ArrayList<>();
    for (Map<String, Object> i : chosen) {
      String url = Values.str(i, "agentUrl");
      if (url.isEmpty()) {
        throw CliException.failed("error: the registry does not say where instance " + Values.str(i, "id")
            + "'s agent listens (no agentUrl in its app view: a registry older than the CLI) — upgrade the registry");
      }
      String logUrl = url.replaceAll("/+$", "") + "/v1/instances/" + seg(Values.str(i, "id")) + "/log?lines=" + lines
          + (follow ? "&follow=true" : "");
      String tag = prefix ? Values.str(i, "id") + " | " : "";
      String token = agentToken(url);
      if (!follow) {
        print(logUrl, tag, token);
        continue;
      }
      Thread t = new Thread(() -> {
        try {
          print(logUrl, tag, token);
        } catch (CliException e) {
          synchronized (this) {
            err().println(dev.baton.cli.BatonCli.line(e));
            err().flush();
          }
        }
      }, "baton-logs-" + Values.str(i, "id"));
      t.setDaemon(true);
      t.start();
      followers.add(t);
    }
    for (Thread t : followers) {
      t.join();
    }
    return 0;
  }

  /**
   * What goes to an agent found through the registry (SECURITY.md): the read token; without one, the CLI's token
   * only to an agent on the registry's own host (the dev stack, a one-host install), else a usage error.
   */
  String agentToken(String agentUrl) {
    String read = readToken != null ? readToken : api().target().readToken();
    if (read != null || api().target().token() == null) {
      return read;
    }
    if (host(agentUrl).equalsIgnoreCase(host(api().target().registry()))) {
      return api().target().token();
    }
    throw CliException.usage("logs sends agents (their address comes from Consul) only the read token: pass --read-token,"
        + " set BATON_READ_TOKEN, or add it to the context (baton context add NAME --registry URL --read-token T)");
  }

  private static String host(String url) {
    String h = java.net.URI.create(url).getHost();
    return h == null ? "" : h;
  }

  private void print(String url, String tag, String token) {
    try (Stream<String> body = api().lines(url, "agent", token)) {
      body.forEach(line -> {
        synchronized (this) {
          out().println(tag + line);
          out().flush();
        }
      });
    }
  }
}
