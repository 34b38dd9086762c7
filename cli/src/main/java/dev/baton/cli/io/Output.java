package dev.baton.cli.io;

import java.io.PrintWriter;
import java.util.Locale;

/** The {@code -o} formats: a human rendering by default, or the registry's objects as JSON or YAML for scripts. */
public enum Output {
  TABLE, JSON, YAML;

  /** {@code table|json|yaml}, any case; {@link IllegalArgumentException} otherwise. */
  public static Output parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-o takes table, json or yaml, not '" + s + "'");
    }
  }

  /** Prints {@code value} in this format, or {@code human} when the format is {@link #TABLE}. */
  public void print(PrintWriter out, Object value, Runnable human) {
    switch (this) {
      case JSON -> out.println(Json.pretty(value));
      case YAML -> out.print(Yaml.write(value));
      default -> human.run();
    }
    out.flush();
  }
}
