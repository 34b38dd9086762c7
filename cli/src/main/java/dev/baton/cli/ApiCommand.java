package dev.baton.cli;

import dev.baton.cli.client.Api;
import dev.baton.cli.config.ContextStore;
import dev.baton.cli.config.Target;
import dev.baton.cli.io.Output;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the registry: the global options resolved into an {@link Api}, the streams, the format. */
abstract class ApiCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  private Api api;

  BatonCli root() {
    return (BatonCli) spec.root().userObject();
  }

  Api api() {
    if (api == null) {
      BatonCli r = root();
      ContextStore store = ContextStore.load(ContextStore.location(r.env));
      api = new Api(Target.resolve(new Target.Flags(r.registry, r.token, r.context, r.ca), r.env, store));
    }
    return api;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Output output() {
    return root().output;
  }

  /** Prints the registry's object as {@code -o} asks, else the human rendering. */
  void print(Object value, Runnable human) {
    output().print(out(), value, human);
  }

  void lines(Iterable<String> lines) {
    lines.forEach(out()::println);
    out().flush();
  }

  /** URL path segment for a user-given name (app, version, release id): only the characters names may hold. */
  static String seg(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
