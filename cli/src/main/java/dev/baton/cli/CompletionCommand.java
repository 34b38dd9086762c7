package dev.baton.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baton completion bash|zsh}: the completion script picocli generates for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a shell completion script (bash; zsh loads it through bashcompinit).",
    footer = {"", "Examples:", "  source <(baton completion bash)",
        "  baton completion zsh > \"${fpath[1]}/_baton\"   # or: source <(baton completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new IllegalArgumentException("completion is generated for bash and zsh, not '" + shell + "'");
    }
    String script = AutoComplete.bash("baton", spec.root().commandLine());
    if (shell.equals("zsh")) {
      script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
