package dev.baton.cli;

import dev.baton.cli.config.Context;
import dev.baton.cli.config.ContextStore;
import dev.baton.cli.config.Target;
import dev.baton.cli.io.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code baton context add|use|list|delete}: named registries in the config file, as kubectl's contexts. */
@Command(name = "context", mixinStandardHelpOptions = true,
    description = "Named registries (URL, token, CA) in ~/.config/baton/config.yaml (or $BATON_CLI_CONFIG).",
    subcommands = {ContextCommand.Add.class, ContextCommand.Use.class, ContextCommand.ListContexts.class,
        ContextCommand.Delete.class},
    footer = {"", "Examples:",
        "  baton context add dev --registry http://127.0.0.1:8090",
        "  baton context add prod --registry https://registry.internal --token-file ~/.config/baton/prod.token --ca ca.pem",
        "  baton context use prod",
        "  baton --context dev apps"})
final class ContextCommand {

  @ParentCommand
  BatonCli root;

  ContextStore store() {
    return ContextStore.load(ContextStore.location(root.env));
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add (or replace) a context; the first one added becomes the current one.",
      footer = {"", "Examples:", "  baton context add prod --registry https://registry.internal --token-file /etc/baton/token",
          "  baton context add staging --registry http://10.0.0.5:8090 --token \"$STAGING_TOKEN\" --use"})
  static final class Add implements Callable<Integer> {
    @ParentCommand
    ContextCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "the context's name")
    String name;

    // --registry, --token and --ca are the global options (inherited by every command), read from the root.
    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the token, read at each use"
        + " (instead of --token, which is stored in the config file)")
    Path tokenFile;

    @Option(names = "--read-token", paramLabel = "TOKEN",
        description = "the read token, which baton logs sends to agents (never the operator token: SECURITY.md)")
    String readToken;

    @Option(names = "--use", description = "make it the current context")
    boolean use;

    @Override
    public Integer call() {
      if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("a context name is 1-64 letters, digits, '.', '_' or '-', not '" + name + "'");
      }
      BatonCli root = parent.root;
      if (root.registry == null) {
        throw new IllegalArgumentException("baton context add needs --registry URL");
      }
      String url = root.registry.trim().replaceAll("/+$", "");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("--registry must start with http:// or https://, got '" + root.registry + "'");
      }
      if (root.token != null && tokenFile != null) {
        throw new IllegalArgumentException("give the token either with --token or with --token-file, not both");
      }
      if (tokenFile != null && !Files.isReadable(tokenFile)) {
        throw new IllegalArgumentException("cannot read the token file " + tokenFile);
      }
      Path ca = root.ca;
      if (ca != null && !Files.isReadable(ca)) {
        throw new IllegalArgumentException("cannot read the CA file " + ca);
      }
      ContextStore store = parent.store();
      store.put(new Context(name, url, root.token, tokenFile == null ? null : tokenFile.toAbsolutePath().toString(),
          ca == null ? null : ca.toAbsolutePath().toString(), readToken));
      boolean current = use || store.currentName() == null || store.current().isEmpty();
      if (current) {
        store.use(name);
      }
      store.save();
      parent.root.spec().commandLine().getOut().println("context " + name + " → " + url
          + (current ? " (current)" : "; baton context use " + name + " makes it current") + "; saved in " + store.file());
      return 0;
    }
  }

  @Command(name = "use", mixinStandardHelpOptions = true, description = "Make a context the current one.",
      footer = {"", "Example:", "  baton context use prod"})
  static final class Use implements Callable<Integer> {
    @ParentCommand
    ContextCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      ContextStore store = parent.store();
      store.use(name);
      store.save();
      parent.root.spec().commandLine().getOut().println("current context: " + name + " (" + store.current().get().registry() + ")");
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
      description = "The contexts; * marks the current one. Tokens are never printed.",
      footer = {"", "Example:", "  baton context list -o yaml"})
  static final class ListContexts implements Callable<Integer> {
    @ParentCommand
    ContextCommand parent;

    @Override
    public Integer call() {
      ContextStore store = parent.store();
      List<Map<String, Object>> rows = store.all().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
          .map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("current", c.name().equals(store.currentName()));
            m.put("registry", c.registry());
            m.put("token", c.token() != null ? "inline" : c.tokenFile() != null ? c.tokenFile() : null);
            m.put("ca", c.ca());
            return m;
          }).toList();
      var out = parent.root.spec().commandLine().getOut();
      parent.root.output.print(out, rows, () -> {
        if (rows.isEmpty()) {
          out.println("no contexts in " + store.file() + "; commands use " + Target.DEFAULT_REGISTRY
              + " (baton context add NAME --registry URL adds one)");
          return;
        }
        Table t = Table.of("", "name", "registry", "token", "ca");
        rows.forEach(m -> t.row(Boolean.TRUE.equals(m.get("current")) ? "*" : " ", m.get("name"), m.get("registry"),
            m.get("token"), m.get("ca")));
        t.lines().forEach(out::println);
      });
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Remove a context.",
      footer = {"", "Example:", "  baton context delete staging"})
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    ContextCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      ContextStore store = parent.store();
      if (!store.remove(name)) {
        throw new IllegalArgumentException("no context '" + name + "'; baton context list shows them");
      }
      store.save();
      parent.root.spec().commandLine().getOut().println("deleted context " + name
          + (store.currentName() == null ? "; no current context now (baton context use NAME)" : ""));
      return 0;
    }
  }
}
