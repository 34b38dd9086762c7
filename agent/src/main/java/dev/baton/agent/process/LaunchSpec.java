package dev.baton.agent.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Everything needed to start one instance process: the final argv and env, its directory and its log file. */
public record LaunchSpec(List<String> argv, Map<String, String> env, Path workDir, Path logFile) {

  public LaunchSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }
}
