package dev.baton.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar baton-cli.jar}: the operators' {@code baton} command. Exit codes: 0 done, 1 failed, 2 usage. */
@Command(name = "baton", mixinStandardHelpOptions = true, version = "baton 0.1.0",
    description = "Operate a baton fleet.",
    subcommands = {CertsCommand.class, CommandLine.HelpCommand.class})
public final class BatonCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return new CommandLine(new BatonCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("baton: " + e.getMessage());
          return e instanceof IllegalArgumentException ? 2 : 1;
        })
        .execute(args);
  }
}
