package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton group create|status|list|promote|pause|resume|abort}: releases of several apps that move step by
 * step together and abort together (docs/cli.md, "Release groups"; docs/registry-api.md, "Release groups").
 */
@Command(name = "group", mixinStandardHelpOptions = true,
    description = {"Release groups: several apps released as one. A step moves on only once every member",
        "finished it; any member failing (analysis, health) or aborted aborts every member."},
    subcommands = {GroupCommand.Create.class, GroupCommand.Status.class, GroupCommand.ListGroups.class,
        GroupCommand.Promote.class, GroupCommand.Pause.class, GroupCommand.Resume.class, GroupCommand.Abort.class})
final class GroupCommand {

  /** The human lines of a group: its phase and message, each member, then its history. */
  static List<String> lines(Map<String, Object> g) {
    List<String> out = new ArrayList<>();
    out.add("group " + Values.str(g, "id") + "  " + Values.str(g, "phase") + "  " + Values.str(g, "message"));
    for (Map<String, Object> m : Values.maps(g, "members")) {
      out.add(String.format("  %-16s %-12s %s -> %s  step %s/%s  %s", Values.str(m, "app"), Values.str(m, "phase"),
          Values.str(m, "fromVersion"), Values.str(m, "toVersion"), Values.num(Values.num(m, "step", 0) + 1),
          Values.num(Values.num(m, "steps", 1)), Values.str(m, "message")));
    }
    out.add("history:");
    for (Map<String, Object> e : Values.maps(g, "history")) {
      out.add("  " + Values.str(e, "at") + "  " + Values.str(e, "message"));
    }
    return out;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Create a release group: APP=VERSION pairs sharing the strategy flags, or -f FILE with the",
          "registry's body {\"releases\": [{\"app\", \"version\", \"strategy\", \"env\"?, \"command\"?, \"gates\"?}]}."},
      footer = {"", "Examples:",
          "  baton group create shop=2.0.0 billing=1.3.0 --canary 20,50,100 --pause 30s --analysis",
          "  baton group create -f group.yaml --wait",
          "", "group.yaml:",
          "  releases:",
          "    - {app: shop, version: 2.0.0, strategy: {type: canary, steps: [{weight: 20, pauseSeconds: 30}, {weight: 100}]}}",
          "    - {app: billing, version: 1.3.0, strategy: {type: blue-green}}",
          "", "With --wait: exit 0 when every member succeeds, 1 when the group is aborted or fails."})
  static final class Create extends ApiCommand {

    @Parameters(paramLabel = "APP=VERSION", arity = "0..*", description = "a member: the app and the version to release")
    List<String> members;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "the whole group body, YAML or JSON")
    Path file;

    @Option(names = "--wait", description = "follow the group to its end, as group status --watch does")
    boolean wait;

    @Mixin
    StrategyFlags flags;

    @Override
    public Integer call() throws InterruptedException {
      Object g = api().post("/v1/release-groups", body());
      if (wait) {
        err().println("release group " + Values.str(g, "id") + " started");
        err().flush();
        return Status.watch(this, Values.str(g, "id"));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> group = (Map<String, Object>) g;
      print(g, () -> {
        lines(GroupCommand.lines(group));
        out().println("follow it: baton group status " + Values.str(g, "id") + " --watch");
      });
      return 0;
    }

    /** The request body; a usage error before anything is sent. */
    Map<String, Object> body() {
      if (file != null) {
        if (members != null && !members.isEmpty() || flags.any()) {
          throw CliException.usage("-f gives the whole group: drop the APP=VERSION pairs and strategy flags, or drop -f");
        }
        Map<String, Object> body = AppCommand.Apply.read(file);
        if (!(body.get("releases") instanceof List<?>)) {
          throw CliException.usage(file + " is not a release group: it needs 'releases:', a list of"
              + " {app, version, strategy} (see baton group create --help)");
        }
        return body;
      }
      if (members == null || members.isEmpty()) {
        throw CliException.usage("name the members as APP=VERSION (e.g. shop=2.0.0 billing=1.3.0), or give -f FILE");
      }
      Map<String, Object> strategy = flags.strategy();
      List<Object> releases = new ArrayList<>();
      for (String m : members) {
        int eq = m.indexOf('=');
        if (eq <= 0 || eq == m.length() - 1) {
          throw CliException.usage("'" + m + "' is not APP=VERSION (e.g. shop=2.0.0)");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("app", m.substring(0, eq));
        r.put("version", m.substring(eq + 1));
        if (strategy != null) {
          r.put("strategy", strategy);
        }
        releases.add(r);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("releases", releases);
      return body;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "A release group: its phase, each member and the group's history; --watch follows it to its end.",
      footer = {"", "Examples:", "  baton group status g-20261130T150102-ab12",
          "  baton group status g-20261130T150102-ab12 --watch",
          "", "With --watch: exit 0 when every member succeeds, 1 when the group is aborted or fails."})
  static final class Status extends ApiCommand {

    @Parameters(index = "0", paramLabel = "GROUP")
    String id;

    @Option(names = {"-w", "--watch"}, description = "print the group's history as it grows until the group ends")
    boolean watch;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws InterruptedException {
      if (watch) {
        return watch(this, id);
      }
      Object g = api().get("/v1/release-groups/" + seg(id));
      print(g, () -> lines(GroupCommand.lines((Map<String, Object>) g)));
      return 0;
    }

    /**
     * Prints each new history line of the group (to stderr with {@code -o json|yaml}, whose stdout gets the group as it
     * ended) every second until it ends: 0 when it succeeded, 1 otherwise.
     */
    @SuppressWarnings("unchecked")
    static int watch(ApiCommand cmd, String id) throws InterruptedException {
      boolean scripted = cmd.output() != dev.baton.cli.io.Output.TABLE;
      java.io.PrintWriter to = scripted ? cmd.err() : cmd.out();
      int shown = 0;
      while (true) {
        Map<String, Object> g = (Map<String, Object>) cmd.api().get("/v1/release-groups/" + seg(id));
        List<Map<String, Object>> history = Values.maps(g, "history");
        for (Map<String, Object> e : history.subList(Math.min(shown, history.size()), history.size())) {
          to.println(Values.str(e, "at") + "  " + Values.str(e, "phase") + "  " + Values.str(e, "message"));
        }
        to.flush();
        shown = history.size();
        String phase = Values.str(g, "phase");
        if ("SUCCEEDED".equals(phase) || "ABORTED".equals(phase) || "FAILED".equals(phase)) {
          if (scripted) {
            cmd.print(g, () -> { });
          } else {
            cmd.lines(GroupCommand.lines(g));
          }
          return "SUCCEEDED".equals(phase) ? 0 : 1;
        }
        Thread.sleep(1000); // paces the polling of a human-facing view; nothing waits on a condition here
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest release groups, newest first.",
      footer = {"", "Example:", "  baton group list --limit 10"})
  static final class ListGroups extends ApiCommand {

    @Option(names = "--limit", paramLabel = "N", description = "at most N groups (default 50)")
    Integer limit;

    @Override
    public Integer call() {
      Object all = api().get("/v1/release-groups" + (limit == null ? "" : "?limit=" + limit));
      print(all, () -> {
        for (Object o : (List<?>) all) {
          out().println(Values.str(o, "id") + "  " + Values.str(o, "phase") + "  " + Values.list(o, "apps") + "  "
              + Values.str(o, "message"));
        }
        out().flush();
      });
      return 0;
    }
  }

  /** {@code baton group promote|pause|resume|abort GROUP}: the operation on every running member. */
  abstract static class Operate extends ApiCommand {

    @Parameters(index = "0", paramLabel = "GROUP")
    String id;

    abstract String op();

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
      Object g = api().post("/v1/release-groups/" + seg(id) + "/" + op(), null);
      print(g, () -> lines(GroupCommand.lines((Map<String, Object>) g)));
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Promote every member's current step (canary pause, blue-green switch).",
      footer = {"", "Example:", "  baton group promote g-20261130T150102-ab12"})
  static final class Promote extends Operate {
    @Override
    String op() {
      return "promote";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause every running member.",
      footer = {"", "Example:", "  baton group pause g-20261130T150102-ab12"})
  static final class Pause extends Operate {
    @Override
    String op() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume every paused member.",
      footer = {"", "Example:", "  baton group resume g-20261130T150102-ab12"})
  static final class Resume extends Operate {
    @Override
    String op() {
      return "resume";
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Abort every member: each sends its traffic back to its previous version.",
      footer = {"", "Example:", "  baton group abort g-20261130T150102-ab12"})
  static final class Abort extends Operate {
    @Override
    String op() {
      return "abort";
    }
  }
}
