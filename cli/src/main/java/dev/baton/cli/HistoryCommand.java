package dev.baton.cli;

import dev.baton.cli.io.Views;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton history APP}: the app's releases, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "The app's releases, oldest first, with how each ended.",
    footer = {"", "Examples:", "  baton history shop", "  baton history shop -o json | jq -r '.[-1].id'"})
final class HistoryCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP")
  String app;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() {
    Object releases = api().get("/v1/apps/" + seg(app) + "/releases");
    print(releases, () -> lines(Views.history((List<Map<String, Object>>) releases)));
    return 0;
  }
}
