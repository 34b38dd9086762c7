package dev.baton.cli;

import dev.baton.cli.io.Output;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import dev.baton.cli.watch.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton status APP [--watch]}: the app and its active release, once or live to the release's end. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"The app, its active release and its instances.",
        "--watch: a live view redrawn on the registry's events and the gateways' traffic each second — the release's",
        "steps, route weight and traffic share per version, req/s, errors and p99, instances per agent, the analysis",
        "verdicts — until the release ends (with none active it waits for the next). Plain lines when not a terminal;",
        "with -o json|yaml the lines go to stderr and stdout gets the release as it ended."},
    footer = {"", "Examples:", "  baton status shop", "  baton status shop --watch", "  baton status shop --watch --plain | tee release.log",
        "", "With --watch: exit 0 when the release succeeds, 1 when it is aborted or fails."})
final class StatusCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP")
  String app;

  @Option(names = {"-w", "--watch"}, description = "follow the release live until it ends")
  boolean watch;

  @Option(names = "--plain", description = "with --watch: one line per change even on a terminal")
  boolean plain;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws InterruptedException {
    if (watch) {
      return watch(this, app, null, plain);
    }
    Map<String, Object> view = (Map<String, Object>) api().get("/v1/apps/" + seg(app));
    print(view, () -> {
      List<String> out = new ArrayList<>(Views.app(view));
      Map<String, Object> r = Values.map(view, "activeRelease");
      if (!r.isEmpty()) {
        out.add("");
        out.addAll(Views.release(r));
        out.add("follow it: baton status " + app + " --watch");
      }
      lines(out);
    });
    return 0;
  }

  static int watch(ApiCommand cmd, String app, String releaseId) throws InterruptedException {
    return watch(cmd, app, releaseId, false);
  }

  /**
   * Follows the release to its end. With {@code -o json|yaml} the progress goes to stderr as plain lines and stdout
   * gets only the release as it ended, for scripts.
   */
  static int watch(ApiCommand cmd, String app, String releaseId, boolean plain) throws InterruptedException {
    boolean scripted = cmd.output() != Output.TABLE;
    boolean terminal = !plain && !scripted && System.console() != null && !"dumb".equals(cmd.root().env.get("TERM"));
    Watcher watcher = new Watcher(cmd.api(), app, releaseId, scripted ? cmd.err() : cmd.out(), terminal);
    int code = watcher.run();
    if (scripted) {
      cmd.print(watcher.release(), () -> { });
    }
    return code;
  }
}
