package dev.baton.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with a given environment and captures what it prints. */
record Cli(int code, String out, String err) {

  /** A registry nobody listens on (port 9 is discard, closed on test machines): reaching it fails with exit 1. */
  static final String NOWHERE = "http://127.0.0.1:9";

  static Cli run(Path config, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("BATON_CLI_CONFIG", config.toString());
    return run(env, args);
  }

  static Cli run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = BatonCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }
}
