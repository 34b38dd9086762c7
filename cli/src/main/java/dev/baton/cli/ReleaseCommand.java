package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Json;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton release APP VERSION [strategy flags | -f strategy.yaml] [--env NAME=VALUE…] [--command ARGV] [--wait]}. */
@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Release VERSION of APP (pushed first with baton artifact push).",
        "Without a strategy flag the registry's default applies: rolling, one new instance at a time."},
    footer = {"", "Examples:",
        "  baton release shop 2.0.0                                    # rolling surge",
        "  baton release shop 2.0.0 --rolling --in-place               # same agents and ports",
        "  baton release shop 2.0.0 --canary 10,50,100 --pause 30s --wait",
        "  baton release shop 2.0.0 --canary 10:30s,50:manual,100 --sticky-header X-User-Id",
        "  baton release shop 2.0.0 --canary 10,50,100 --pause 1m --analysis --max-error-rate 0.01",
        "  baton release shop 2.0.0 --blue-green --preview-header X-Baton-Preview=green",
        "  baton release shop 2.0.0 --canary 25,100 --pause 30s --gate on=step,url=http://smoke:8080/check",
        "  baton release shop 2.0.0 -f strategy.yaml",
        "  baton release shop 2.0.0 --env FEATURE_X=on --env LOG_LEVEL=debug",
        "  baton release shop 2.0.0 --command 'java -Xmx512m -jar {artifact}'",
        "", "--env and --command are this version's config over the app spec's; it stays with the version:",
        "a rollback or abort restarts the previous version with the previous release's config. A release",
        "without them runs the spec's config alone (docs/registry-api.md, \"Config overrides\").",
        "", "strategy.yaml holds the registry's strategy object (docs/registry-api.md), e.g.:",
        "  type: canary",
        "  steps: [{weight: 10, pauseSeconds: 30}, {weight: 50, pause: manual}, {weight: 100}]",
        "", "With --wait: exit 0 when the release succeeds, 1 when it is aborted or fails."})
final class ReleaseCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP")
  String app;

  @Parameters(index = "1", paramLabel = "VERSION")
  String version;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "the strategy, YAML or JSON (not with strategy flags)")
  Path file;

  @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable of this version's"
      + " instances, over the app spec's env (repeatable)")
  Map<String, String> env;

  @Option(names = "--command", paramLabel = "ARGV", description = "this version's command instead of the spec's:"
      + " words split at spaces, or a JSON array of strings for an argument with a space")
  String command;

  @Option(names = "--wait", description = "follow the release to its end, as status --watch does")
  boolean wait;

  @Option(names = "--gate", paramLabel = "on=POINT,url=URL[,timeoutSeconds=N][,onTimeout=abort|wait]",
      description = "a webhook that must answer 2xx (pre-rollout, step, confirm-promotion, post-rollout, rollback);"
          + " repeatable")
  java.util.List<String> gates;

  @Mixin
  StrategyFlags flags;

  @Override
  public Integer call() throws InterruptedException {
    Object release = api().post("/v1/apps/" + seg(app) + "/releases", body());
    String id = Values.str(release, "id");
    if (!wait) {
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) release;
      print(release, () -> {
        lines(Views.release(r));
        out().println("follow it: baton status " + app + " --watch   (promote, pause, resume, abort: baton promote " + app + ")");
      });
      return 0;
    }
    err().println("release " + id + " started");
    err().flush();
    return StatusCommand.watch(this, app, id);
  }

  /** The request body (docs/registry-api.md, "Releases"); a usage error before anything is sent. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    Map<String, Object> strategy = strategy();
    if (strategy != null) {
      body.put("strategy", strategy);
    }
    if (env != null && !env.isEmpty()) {
      body.put("env", env);
    }
    if (command != null) {
      body.put("command", argv(command));
    }
    if (gates != null && !gates.isEmpty()) {
      body.put("gates", GateFlags.parse(gates));
    }
    return body;
  }

  /** {@code --command}: a JSON array of strings, or words split at spaces (no shell quoting: nothing is run by a shell). */
  static List<String> argv(String text) {
    String t = text.strip();
    if (t.startsWith("[")) {
      Object parsed;
      try {
        parsed = Json.parse(t);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--command " + text + " is not a JSON array of strings: " + e.getMessage());
      }
      if (!(parsed instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
        throw CliException.usage("--command needs a non-empty JSON array of strings, e.g. '[\"java\", \"-jar\", \"{artifact}\"]'");
      }
      return list.stream().map(String.class::cast).toList();
    }
    if (t.isEmpty()) {
      throw CliException.usage("--command needs the program and its arguments, e.g. --command 'java -jar {artifact}'");
    }
    return List.of(t.split("\\s+"));
  }

  Map<String, Object> strategy() {
    if (file == null) {
      return flags.strategy();
    }
    if (flags.any()) {
      throw CliException.usage("-f gives the whole strategy: drop the strategy flags, or drop -f");
    }
    Map<String, Object> s = AppCommand.Apply.read(file);
    if (s.get("strategy") instanceof Map<?, ?> inner && !s.containsKey("type")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) inner;
      s = m;
    }
    if (!s.containsKey("type")) {
      throw CliException.usage(file + " is not a strategy: it needs 'type: canary', 'rolling' or 'blue-green'"
          + " (see baton release --help)");
    }
    return s;
  }
}
