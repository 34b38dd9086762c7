package dev.baton.cli;

import dev.baton.cli.io.Views;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code baton apps}: every app with its version, passing instances, split and active release. */
@Command(name = "apps", mixinStandardHelpOptions = true,
    description = "List the apps: version, passing/desired instances, status, traffic split, active release.",
    footer = {"", "Examples:", "  baton apps", "  baton apps -o json | jq -r '.[].app'"})
final class AppsCommand extends ApiCommand {

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() {
    Object apps = api().get("/v1/apps");
    print(apps, () -> lines(Views.apps((List<Map<String, Object>>) apps)));
    return 0;
  }
}
