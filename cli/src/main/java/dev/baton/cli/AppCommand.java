package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import dev.baton.cli.io.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton app get|apply}: one app's view, and its spec from a YAML (or JSON) file. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Look at one app, or create/update it from a spec file.",
    subcommands = {AppCommand.Get.class, AppCommand.Apply.class},
    footer = {"", "Examples:", "  baton app get shop", "  baton app apply -f shop.yaml"})
final class AppCommand {

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "The app: current version, passing instances, route, spec, active release, instances.",
      footer = {"", "Examples:", "  baton app get shop", "  baton app get shop -o yaml"})
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
      Object view = api().get("/v1/apps/" + seg(app));
      print(view, () -> lines(Views.app((Map<String, Object>) view)));
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = {"Create or replace an app from a spec file (YAML or JSON): the AppSpec of docs/registry-api.md.",
          "The app's name is the file's 'name' field, or APP when given (both must agree)."},
      footer = {"", "Example spec (shop.yaml):",
          "  name: shop",
          "  instances: 3",
          "  healthPath: /health",
          "  routing:",
          "    hosts: []",
          "    pathPrefix: /",
          "", "Examples:", "  baton app apply -f shop.yaml", "  baton app apply shop -f spec.json"})
  static final class Apply extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the spec, YAML or JSON")
    Path file;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "the app (default: the spec's name)")
    String app;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
      Map<String, Object> spec = read(file);
      String named = Values.str(spec, "name");
      if (app == null && named.isEmpty()) {
        throw CliException.usage(file + " has no 'name': add 'name: <app>' or pass the app: baton app apply APP -f "
            + file);
      }
      if (app != null && !named.isEmpty() && !named.equals(app)) {
        throw CliException.usage(file + " names the app '" + named + "', not '" + app + "'");
      }
      String name = app != null ? app : named;
      if (!spec.containsKey("instances")) {
        throw CliException.usage(file + " is not an app spec: it has no 'instances' (see baton app apply --help)");
      }
      spec.remove("name");
      Object written = api().put("/v1/apps/" + seg(name), spec);
      print(written, () -> out().println("app " + name + " applied: " + Values.str(written, "instances")
          + " instance(s); baton artifact push " + name + " VERSION FILE, then baton release " + name + " VERSION"));
      return 0;
    }

    static Map<String, Object> read(Path file) {
      try {
        return Yaml.object(Files.readString(file), file.toString());
      } catch (IOException e) {
        throw CliException.usage("cannot read " + file + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }
}
