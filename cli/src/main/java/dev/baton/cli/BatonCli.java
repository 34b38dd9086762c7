package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Output;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar baton-cli.jar}: the operators' {@code baton} command (docs/cli.md). Exit codes: 0 done,
 * 1 failed or aborted (and every error answer of the registry), 2 usage.
 */
@Command(name = "baton", mixinStandardHelpOptions = true, version = "baton 0.1.0",
    description = "Operate a baton fleet: apps, artifacts, releases, their traffic and logs, on any registry.",
    subcommands = {ContextCommand.class, AppsCommand.class, AppCommand.class, ArtifactCommand.class,
        ReleaseCommand.class, StatusCommand.class, OperateCommand.Promote.class, OperateCommand.Pause.class,
        OperateCommand.Resume.class, OperateCommand.Abort.class, GroupCommand.class, RollbackCommand.class,
        HistoryCommand.class,
        EventsCommand.class, LogsCommand.class, CertsCommand.class, CompletionCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Examples:",
        "  baton context add prod --registry https://registry.internal:8090 --token-file ~/.baton-token",
        "  baton apps",
        "  baton artifact push shop 2.0.0 target/shop.jar",
        "  baton release shop 2.0.0 --canary 10,50,100 --pause 30s --wait",
        "  baton status shop --watch",
        "  baton group create shop=2.0.0 billing=1.3.0 --canary 20,100 --pause 30s --analysis --wait",
        "",
        "The registry: --registry, else BATON_REGISTRY_URL, else the current context, else http://127.0.0.1:8090.",
        "Exit codes: 0 done, 1 failed or aborted (or the registry refused), 2 usage."})
public final class BatonCli {

  @Option(names = "--registry", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "the registry's URL (default: BATON_REGISTRY_URL, the context, http://127.0.0.1:8090)")
  String registry;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "bearer token: the operator token to act, the read token to look (default: BATON_TOKEN, the context)")
  String token;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "use this context of the config file instead of the current one (or BATON_CONTEXT)")
  String context;

  @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "PEM CA certificate(s) to trust for an https registry")
  Path ca;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", converter = OutputConverter.class,
      description = "table (default), json or yaml: the registry's objects, for scripts")
  Output output = Output.TABLE;

  @Spec
  CommandSpec spec;

  final Map<String, String> env;

  CommandSpec spec() {
    return spec;
  }

  BatonCli(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line with the process's environment and streams; returns the exit code. */
  public static int run(String... args) {
    return run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line with this environment and these streams; returns the exit code. */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(env, out, err).execute(args);
  }

  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new BatonCli(env));
    cl.setOut(out).setErr(err)
        .setParameterExceptionHandler((e, args) -> {
          CommandLine c = e.getCommandLine();
          if (e.getMessage() != null && e.getMessage().startsWith("Missing required subcommand")) {
            c.usage(c.getErr()); // a bare `baton` or `baton app`: the list of what it takes
            return 2;
          }
          c.getErr().println("baton: " + e.getMessage() + " — " + c.getCommandSpec().qualifiedName() + " --help shows how");
          c.getErr().flush();
          return 2;
        })
        .setExecutionExceptionHandler((e, c, parsed) -> {
          c.getErr().println(line(e));
          c.getErr().flush();
          return e instanceof CliException ce ? ce.exitCode() : e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cl;
  }

  /** The one line printed for a failure: "error: …" as the registry said it, else "baton: …". */
  static String line(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.startsWith("error: ") ? m : "baton: " + m;
  }

  /** {@code -o} values. */
  static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      try {
        return Output.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("-o takes table, json or yaml, not '" + value + "'");
      }
    }
  }
}
