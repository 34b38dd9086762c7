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

/** {@code baton app get|apply|delete}: one app's view, its spec from a YAML (or JSON) file, and its removal. */
@Command(name = "app", mixinStandardHelpOptions = true,
    description = "Look at one app, create/update it from a spec file, or delete it.",
    subcommands = {AppCommand.Get.class, AppCommand.Apply.class, AppCommand.Delete.class},
    footer = {"", "Examples:", "  baton app get shop", "  baton app apply -f shop.yaml", "  baton app delete shop --yes"})
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

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {"Delete an app: its spec, route, status and release history (its artifacts stay).",
          "An app that runs instances is scaled to 0 first, its instances drained and stopped by the registry's",
          "reconciler, and only then deleted: that needs --yes. An app with an active release is refused."},
      footer = {"", "Examples:", "  baton app delete old-app", "  baton app delete shop --yes --timeout 10m"})
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = "--yes", description = "scale a running app to 0 and wait for its instances to stop first")
    boolean yes;

    @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
        description = "how long to wait for the instances to stop (default ${DEFAULT-VALUE})")
    String timeout;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws InterruptedException {
      long waitSeconds = Durations.seconds(timeout, "--timeout");
      Map<String, Object> view = (Map<String, Object>) api().get("/v1/apps/" + seg(app));
      Map<String, Object> active = Values.map(view, "activeRelease");
      if (!active.isEmpty()) {
        throw CliException.failed("release " + Values.str(active, "id") + " of " + app + " is running: baton abort "
            + app + " first; nothing was deleted");
      }
      Map<String, Object> spec = new java.util.LinkedHashMap<>(Values.map(view, "spec"));
      int wanted = (int) Values.num(spec, "instances", 0);
      int running = Values.list(view, "instances").size();
      if ((wanted > 0 || running > 0) && !yes) {
        throw CliException.failed(app + " runs " + running + " instance(s) (its spec wants " + wanted + "): add --yes "
            + "to scale it to 0, wait for them to stop and delete it; nothing was changed");
      }
      if (wanted > 0) {
        spec.remove("name");
        spec.put("instances", 0);
        api().put("/v1/apps/" + seg(app), spec);
        err().println("scaling " + app + " to 0: the registry drains and stops its " + running + " instance(s)");
        err().flush();
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(waitSeconds);
      int last = running;
      while (running > 0) {
        if (System.nanoTime() > deadline) {
          throw CliException.failed(app + " still has " + running + " instance(s) after " + timeout + " (baton app get "
              + app + " says why); it stays at 0 instances, not deleted: run this again to finish");
        }
        Thread.sleep(1000); // a CLI waiting on the registry's reconciler, polled once a second up to --timeout
        running = Values.list(api().get("/v1/apps/" + seg(app)), "instances").size();
        if (running != last) {
          err().println(app + ": " + running + " instance(s) left");
          err().flush();
          last = running;
        }
      }
      Object deleted = api().delete("/v1/apps/" + seg(app));
      print(deleted, () -> out().println("app " + app + " deleted (" + Values.str(deleted, "releasesForgotten")
          + " release(s) forgotten); its artifacts stay: baton artifact list " + app));
      return 0;
    }
  }
}
