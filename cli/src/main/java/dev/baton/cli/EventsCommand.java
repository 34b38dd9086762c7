package dev.baton.cli;

import dev.baton.cli.client.Sse;
import dev.baton.cli.io.Json;
import dev.baton.cli.io.Output;
import dev.baton.cli.io.Views;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton events [--app A]}: the registry's event stream, one readable line per event (or one JSON object per line). */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Follow release, instance and host events as they happen (Ctrl-C stops).",
        "-o json prints each event as one JSON object per line (the registry's BatonEvent)."},
    footer = {"", "Examples:", "  baton events", "  baton events --app shop", "  baton events --app shop -o json | jq -r .kind"})
final class EventsCommand extends ApiCommand {

  @Option(names = "--app", paramLabel = "APP", description = "only this app's events")
  String app;

  @Override
  public Integer call() {
    String path = "/v1/events" + (app == null ? "" : "?app=" + seg(app));
    if (app != null) {
      api().get("/v1/apps/" + seg(app)); // an unknown app is an error, not a silent empty stream
    }
    try (Stream<String> lines = api().lines(path)) {
      if (output() == Output.TABLE) {
        err().println("following events" + (app == null ? "" : " of " + app) + " on " + api().target().registry()
            + " (Ctrl-C stops)");
        err().flush();
      }
      Sse.read(lines, e -> {
        var event = Json.object(e.data());
        switch (output()) {
          case JSON -> out().println(Json.write(event));
          case YAML -> out().print("---\n" + dev.baton.cli.io.Yaml.write(event));
          default -> out().println(Views.event(event));
        }
        out().flush();
      });
    }
    err().println("baton: the registry closed the event stream (it stopped or lost leadership); run baton events again");
    return 1;
  }
}
