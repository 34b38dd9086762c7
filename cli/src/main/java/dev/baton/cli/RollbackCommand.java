package dev.baton.cli;

import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton rollback APP [--to VERSION]}: back to the previous good version, or to VERSION
 * ({@code POST /v1/apps/{app}/rollback} with {@code {"version"}}): blue-green, promoted at once, no warm period, and
 * with the config that version last ran with (docs/registry-api.md, "app rollback").
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Go back to the version the last successful release replaced (or --to VERSION).",
        "A rollback is a release of its own: blue-green promoted at once; running instances of the version are reused."},
    footer = {"", "Examples:", "  baton rollback shop", "  baton rollback shop --to 1.0.0 --wait"})
final class RollbackCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP")
  String app;

  @Option(names = "--to", paramLabel = "VERSION", description = "the version to go back to (pushed and not deleted)")
  String to;

  @Option(names = "--wait", description = "follow the rollback to its end")
  boolean wait;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws InterruptedException {
    Map<String, Object> body = null;
    if (to != null) {
      body = new LinkedHashMap<>();
      body.put("version", to);
    }
    Object release = api().post("/v1/apps/" + seg(app) + "/rollback", body);
    if (wait) {
      err().println("rollback " + Values.str(release, "id") + " started");
      err().flush();
      return StatusCommand.watch(this, app, Values.str(release, "id"));
    }
    print(release, () -> lines(Views.release((Map<String, Object>) release)));
    return 0;
  }
}
